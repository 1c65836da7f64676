import { Command, Option } from 'commander';
import { SEVERITIES } from '../../src/audit/model.js';
import type { AuditFlags } from '../shared/flags.js';
import { collect } from './source-options.js';

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('Check a CodeBuild project\'s other layers of defense: network, IAM, data and secrets, runtime, visibility, webhooks.')
    .option('--project <name>', 'the project (live: read with the AWS API; offline: pick it in --project-file)')
    .option('--project-file <file>', 'offline: the output of `aws codebuild batch-get-projects` (all the account\'s projects, to check role sharing)')
    .option('--describe <file>', 'offline: a describe output the checks read, recognised by its content (repeatable; see docs/audit.md)', collect)
    .option('--evidence <file>', 'evidence.json from `generate`: the services the build called and the actions it used')
    .addOption(new Option('--format <format>', 'output format').choices(['markdown', 'json', 'sarif']).default('markdown'))
    .option('--out <file>', 'write the report to this file instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices([...SEVERITIES]))
    .option('--require-cmk', 'artifacts, cache and S3 logs must use a customer managed KMS key (the AWS managed key is a finding)')
    .option('--allowed-github-org <org>', 'a GitHub organization the project may build from (repeatable)', collect)
    .option('--region <region>', 'live: the project\'s region (default: AWS_REGION or the profile)')
    .option('--profile <profile>', 'live: AWS profile (default: AWS_PROFILE)')
    .addHelpText(
      'after',
      `
Examples:
  # live, read-only (codebuild-iam self-policy --for audit prints the permissions it needs)
  codebuild-iam audit --project my-app --region eu-west-1 --evidence out/evidence.json --fail-on high

  # offline, from AWS CLI outputs, as SARIF for code scanning
  codebuild-iam audit --project-file projects.json --project my-app \\
      --describe subnets.json --describe route-tables.json --describe auth-details.json \\
      --format sarif --out audit.sarif

Exit codes: 0 done (no finding at or above --fail-on), 1 a finding at or above --fail-on,
2 bad input, 3 AWS failure. See docs/audit.md.`,
    )
    .action(async (flags: AuditFlags) => {
      const { runAuditCommand } = await import('../run/audit.js');
      await runAuditCommand(flags);
    });
}
