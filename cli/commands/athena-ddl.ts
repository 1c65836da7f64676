import type { Command } from 'commander';
import { collect } from './source-options.js';
import type { AthenaDdlFlags } from '../shared/flags.js';

export function registerAthenaDdl(program: Command): void {
  program
    .command('athena-ddl')
    .description('Print the CREATE EXTERNAL TABLE for a trail bucket, with partition projection (for --source athena).')
    .requiredOption('--bucket <bucket>', "the trail's S3 bucket")
    .option('--prefix <prefix>', "the trail's S3 key prefix, if it has one (the part before AWSLogs/)")
    .option('--org-id <o-id>', 'organization ID, for an organization trail (AWSLogs/<org-id>/<account>/...)')
    .option('--account <id>', 'account whose logs the table covers (repeatable)', collect)
    .option('--inject-account', 'project the account as "injected": any account, but every query must name it (--role as an ARN)')
    .option('--region <region>', 'region whose logs the table covers (repeatable)', collect)
    .option('--table <name>', 'table name', 'cloudtrail_logs')
    .option('--database <name>', 'database name', 'default')
    .addHelpText(
      'after',
      `
The statement is printed on stdout; nothing is created. Run it once in the Athena console (or with
\`aws athena start-query-execution\`), then use the table with --source athena.

Examples:
  # one account, two regions
  codebuild-iam athena-ddl --bucket my-trail-bucket --account 123456789012 --region us-east-1 --region eu-west-1

  # an organization trail with a key prefix, into the database "security"
  codebuild-iam athena-ddl --bucket org-trail --prefix trails --org-id o-a1b2c3d4e5 \\
      --account 111111111111 --account 222222222222 --region us-east-1 --database security > ddl.sql

  # then
  codebuild-iam generate --source athena --athena-table security.cloudtrail_logs --role cb-role --since 7d`,
    )
    .action(async (flags: AthenaDdlFlags) => {
      const { runAthenaDdl } = await import('../run/athena-ddl.js');
      runAthenaDdl(flags);
    });
}
