// The source flags shared by `generate` and `verify`: where the role's CloudTrail events come from.
import { Option, type Command } from 'commander';
import type { SourceKind } from '../../src/sources/source.js';

export interface SourceFlags {
  source?: SourceKind;
  logs?: string[];
  role?: string;
  since?: string;
  until?: string;
  strict?: boolean;
  quiet?: boolean;
  workers?: string;
  region?: string[];
  profile?: string;
  project?: string;
  build?: string[];
  lastBuilds?: string;
  wait?: boolean;
  athenaTable?: string;
  athenaWorkgroup?: string;
  athenaOutput?: string;
  athenaPricePerTb?: string;
  eventDataStore?: string;
}

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function addSourceOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--source <source>', 'where events come from (default: files with --logs, else lookup)').choices([
        'files',
        'lookup',
        'athena',
        'lake',
      ]),
    )
    .option('--logs <path>', 'CloudTrail log file or directory (repeatable; .json, .json.gz, NDJSON)', collect)
    .option('--role <name-or-arn>', 'the CodeBuild service role: name, ARN, or ARN without its path')
    .option('--since <time>', 'start of the window: an ISO-8601 time (2024-03-01T00:00:00Z) or a duration back from now (90m, 12h, 7d, 2w: 7d = 7 days ago)')
    .option('--until <time>', 'end of the window: an ISO-8601 time, or a duration back from now (1d = 1 day ago, not 1 day after --since)')
    .option('--project <name>', 'CodeBuild project: its role, region, builds and configuration (AWS)')
    .option('--build <id>', 'only this build (project:uuid; repeatable)', collect)
    .option('--last-builds <n>', 'the last n builds of --project (default: builds in the window, or the last 5)')
    .option('--wait', 'wait for CloudTrail delivery when a build finished less than 15 minutes ago')
    .option('--region <region>', 'AWS region to query (repeatable; default: the project region or AWS_REGION)', collect)
    .option('--profile <profile>', 'AWS named profile')
    .option('--athena-table <db.table>', 'Athena table over the trail bucket (--source athena)')
    .option('--athena-workgroup <name>', 'Athena workgroup (default: primary)')
    .option('--athena-output <s3-uri>', 'Athena query result location, if the workgroup has none')
    .option('--athena-price-per-tb <usd>', 'Athena price per TB scanned, for the cost estimate', '5')
    .option('--event-data-store <arn-or-id>', 'CloudTrail Lake event data store (--source lake)')
    .option('--workers <n>', 'parallel file readers (default: one per core)')
    .option('--strict', 'treat any unreadable file or record as an error (exit 2); decodes every record of every file that names the role, which is slower')
    .option('--quiet', 'no progress output');
}
