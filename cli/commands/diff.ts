import { Command, Option } from 'commander';
import type { DiffFlags } from '../shared/flags.js';
import { collect } from './source-options.js';

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description('Compare a proposed policy with what the role allows today, action by action and resource by resource.')
    .option('--proposed <dir-or-file>', 'a `generate --out` directory (policy*.json, boundary.json, trust.json) or one policy file')
    .option('--role <name-or-arn>', 'read the current documents of this live role with the IAM API')
    .option('--current <file>', 'a current policy file or `generate --out` directory instead of --role (repeatable)', collect)
    .option('--current-boundary <file>', 'with --current: the permissions boundary attached today')
    .option('--evidence <file>', 'evidence.json from `generate`: mark each action used / unused / unknown')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json', 'html']).default('text'))
    .option('--fail-on-widen', 'exit 1 when the proposal allows any (action, resource) the current documents do not')
    .option('--out <file>', 'write the report to this file instead of stdout')
    .option('--region <region>', 'AWS region for the IAM client (default: AWS_REGION or the profile)')
    .option('--profile <profile>', 'AWS profile for --role (default: AWS_PROFILE)')
    .addHelpText(
      'after',
      `
Examples:
  # a pull request changes out/: compare it with the live role, as a PR comment
  codebuild-iam diff --proposed out --role codebuild-demo-app-service-role --format markdown --out comment.md

  # offline: the policy on the base branch against the one in the pull request, failing on any widening
  git show origin/main:iam/policy.json > base-policy.json
  codebuild-iam diff --proposed iam/policy.json --current base-policy.json --fail-on-widen

  # with what the build used
  codebuild-iam diff --proposed out --role cb-role --evidence out/evidence.json

  # a static page for a CI artifact (no script, loads nothing)
  codebuild-iam diff --proposed out --role cb-role --format html --out diff.html

Exit codes: 0 done (or no widening with --fail-on-widen), 1 the proposal widens (--fail-on-widen),
2 bad input, 3 AWS failure. See docs/diff.md.`,
    )
    .action(async (flags: DiffFlags, cmd: Command) => {
      const { runDiff } = await import('../run/diff.js');
      await runDiff(flags, cmd.optsWithGlobals<{ debug?: boolean }>());
    });
}
