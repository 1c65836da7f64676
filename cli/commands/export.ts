import { Command, Option } from 'commander';
import type { ExportFlags } from '../shared/flags.js';

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('Convert an IAM policy document (JSON, ours or anyone\'s) to Terraform or CloudFormation.')
    .argument('<file>', 'the policy document: a JSON file, or - to read stdin')
    .addOption(new Option('--format <format>', 'what to write').choices(['terraform', 'cloudformation']).makeOptionMandatory())
    .option('--name <name>', 'Terraform data source name, or CloudFormation policy (or role) name', 'policy')
    .addOption(new Option('--cfn-format <format>', 'CloudFormation template syntax').choices(['yaml', 'json']).default('yaml'))
    .option('--literal', 'escape every ${...} in Terraform output, Terraform references included')
    .addHelpText(
      'after',
      `
Examples:
  # a data "aws_iam_policy_document" block to paste into a Terraform project
  codebuild-iam export out/policy.json --format terraform --name codebuild_policy

  # any policy from IAM, through stdin
  aws iam get-role-policy --role-name cb-role --policy-name p --query PolicyDocument \\
    | codebuild-iam export - --format terraform

  # a CloudFormation template (a managed policy, or a role for a trust policy)
  codebuild-iam export out/trust.json --format cloudformation --name cb-role --cfn-format json

IAM policy variables such as \${aws:username} are written as $\${aws:username}; well-formed Terraform
references such as \${aws_s3_bucket.b.arn} or \${var.bucket} stay live unless --literal is given; any other
\${...} (function calls, conditionals) is escaped. CloudFormation snippets (Fn::Sub, Ref) are
refused: resolve them first. To export the role, boundary and trust policy together, use
\`generate --out <dir> --export terraform,cloudformation\`.`,
    )
    .action(async (file: string, flags: ExportFlags) => {
      const { runExport } = await import('../run/export.js');
      await runExport(file, flags);
    });
}
