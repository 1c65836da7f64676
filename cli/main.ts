// The codebuild-iam command line. Commands load their implementation lazily so that `--help` stays fast
// (the AWS SDK and the IAM reference data are only loaded by the commands that need them).
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { registerCommands } from './commands/index.js';
import { reportError } from './report-error.js';

// The AWS SDK warns on every run under Node 20 that its 2027 releases need Node 22; the README says so once,
// and a user who wants the SDK's own notice can set the variable to "false".
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('codebuild-iam')
  .description(
    'Least privilege for AWS CodeBuild service roles: turn what a role did (CloudTrail) into a tight identity ' +
      'policy, a permissions boundary and a trust policy; prove them, diff them, and export them.',
  )
  .version(pkg.version)
  .option('--debug', 'print stack traces on errors, and how long each stage of generate took')
  .exitOverride()
  // Commander's usage errors are printed by reportError, as one `codebuild-iam: ...` line; its help and
  // version output are left alone. Subcommands inherit both settings.
  .configureOutput({ outputError: () => undefined });

registerCommands(program);

program.addHelpText(
  'after',
  `
Exit codes (README.md, "Exit codes", has the full list):
  0  success
  1  a check found a problem (verify: a request denied or undecided; diff --fail-on-widen: a widening;
     audit --fail-on: a finding at or above the severity; generate refusing a broad policy)
  2  usage or input error (bad flag or time, a --logs path or AWS profile that does not exist, a role that
     matches nothing or several roles, an invalid policy document, an --out that cannot be created)
  3  failure talking to AWS, or another runtime failure

Start with:
  codebuild-iam generate --help`,
);

// A reader that closes the pipe early (`| head`) has all it wants: end quietly, not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? (process.exitCode ?? 0) : 3));
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = reportError(err, program.opts<{ debug?: boolean }>().debug === true);
}
