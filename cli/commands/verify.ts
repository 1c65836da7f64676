import { Option, type Command } from 'commander';
import { addSourceOptions, collect, type SourceFlags } from './source-options.js';

export interface VerifyFlags extends SourceFlags {
  policy?: string[];
  boundary?: string;
  format?: 'text' | 'json';
  /** The older spelling of --format json, kept working. */
  json?: boolean;
}

export function registerVerify(program: Command): void {
  addSourceOptions(
    program
      .command('verify')
      .description('Replay every request the role made successfully against a policy and boundary; exit 1 if any would be denied.')
      .option('--policy <file-or-dir>', 'identity policy JSON (repeatable), or the --out directory of generate', collect)
      .option('--boundary <file>', 'permissions boundary JSON (default: boundary.json of a --policy directory)')
      .addOption(new Option('--format <format>', 'what to print on stdout: the verdict as text, or as JSON').choices(['text', 'json']).default('text'))
      .option('--json', 'same as --format json'),
  )
    .addHelpText(
      'after',
      `
Examples:
  # prove a generated policy against the trail it came from
  codebuild-iam verify --policy out --logs fixtures/demo/trail --role arn:aws:iam::123456789012:role/service-role/codebuild-demo-app-service-role

  # check a hand-edited policy against last week's builds, without a boundary
  codebuild-iam verify --policy role-policy.json --logs ./AWSLogs --role cb-role --since 7d

Exit 0 when every observed request is allowed, 1 when any would be denied (each is listed with the
statement or the missing grant that decides it), 2 for bad input, 3 for AWS failures.`,
    )
    .action(async (flags: VerifyFlags) => {
      const { runVerify } = await import('../run/verify.js');
      await runVerify(flags);
    });
}
