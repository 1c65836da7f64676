import { Option, type Command } from 'commander';
import type { SelfPolicyFlags } from '../shared/flags.js';

export function registerSelfPolicy(program: Command): void {
  program
    .command('self-policy')
    .description('Print the least-privilege IAM policy that codebuild-iam itself needs for a source.')
    .addOption(new Option('--source <source>', 'the source the tool will read').choices(['files', 'lookup', 'athena', 'lake']).default('lookup'))
    .option('--diff', 'also what `diff --role` reads (the live role and its policies)')
    .addOption(new Option('--for <command>', 'instead, what this command reads live (audit --project: with --account, --region, --role)').choices(['audit']))
    .option('--partition <partition>', 'AWS partition', 'aws')
    .option('--region <region>', 'narrow regional resources to this region (default: any)')
    .option('--account <id>', 'narrow resources to this account (default: any)')
    .option('--project <name>', 'lookup: the CodeBuild project the tool reads')
    .option('--role <name-or-arn>', 'diff: the role the tool reads')
    .option('--athena-workgroup <name>', 'athena: the workgroup', 'primary')
    .option('--athena-table <db.table>', 'athena: the trail table')
    .option('--trail-bucket <bucket-or-s3-uri>', 'athena: the trail bucket (and prefix) Athena reads')
    .option('--athena-output <s3-uri>', 'athena: the query result location')
    .option('--event-data-store <arn-or-id>', 'lake: the event data store')
    .addHelpText(
      'after',
      `
Examples:
  codebuild-iam self-policy --source lookup --account 123456789012 --region eu-west-1 --project my-app
  codebuild-iam self-policy --source athena --athena-table cloudtrail.logs --trail-bucket s3://trail/AWSLogs/ \\
      --athena-output s3://athena-results/codebuild-iam/
  codebuild-iam self-policy --source files --diff --role codebuild-my-app-service-role
  codebuild-iam self-policy --for audit --account 123456789012 --region eu-west-1 --role codebuild-my-app-service-role

See docs/permissions.md for what each permission is for.`,
    )
    .action(async (flags: SelfPolicyFlags) => {
      const { runSelfPolicy } = await import('../run/self-policy.js');
      runSelfPolicy(flags);
    });
}
