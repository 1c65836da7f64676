import { Command, Option } from 'commander';
import { addSourceOptions, collect } from './source-options.js';
import type { GenerateFlags } from '../shared/flags.js';

export function registerGenerate(program: Command): void {
  addSourceOptions(
    program.command('generate').description('Generate a least-privilege policy, boundary and trust policy from what the role did.'),
  )
    .option('--out <dir>', 'write policy.json, boundary.json, trust.json, evidence.json, report.md, report.html here')
    .addOption(new Option('--resources <mode>', 'generalize per-build IDs, or keep exact ARNs').choices(['generalize', 'exact']).default('generalize'))
    .option('--project-file <file>', 'output of `aws codebuild batch-get-projects` to infer unlogged needs (repeatable)', collect)
    .option('--no-infer', 'do not add permissions inferred from the project configuration, nor the needs implied by observed calls (PutLogEvents on created log streams)')
    .option('--current-trust <file>', "the role's current trust policy (JSON): the report says what it lacks")
    .option('--min-builds <n>', 'grant only permissions seen in at least n builds')
    .addOption(new Option('--boundary-scope <scope>', 'boundary envelope: services seen, or exactly the policy actions').choices(['services', 'actions']).default('services'))
    .addOption(new Option('--format <format>', 'what to print on stdout without --out').choices(['json', 'terraform', 'cloudformation']).default('json'))
    .option('--export <formats>', 'with --out (required), also write terraform and/or cloudformation (comma-separated)')
    .option('--allow-broad', 'allow writing a policy with wildcard actions or needlessly broad resources')
    .addHelpText(
      'after',
      `
Examples:
  # the demo trail shipped with the project
  codebuild-iam generate --logs fixtures/demo/trail --role arn:aws:iam::123456789012:role/service-role/codebuild-demo-app-service-role

  # one day of an S3 trail (March 1st, UTC), all outputs into ./out
  codebuild-iam generate --logs ./AWSLogs --role arn:aws:iam::123456789012:role/service-role/cb-role \\
      --since 2024-03-01T00:00:00Z --until 2024-03-02T00:00:00Z --out out

  # the last 7 days up to now (a duration always counts back from now)
  codebuild-iam generate --logs ./AWSLogs --role cb-role --since 7d --out out

  # add what CloudTrail never shows (log streams, S3 artifacts) from the project definition
  aws codebuild batch-get-projects --names my-app > project.json
  codebuild-iam generate --logs ./AWSLogs --role cb-role --project-file project.json --out out

Without --out the identity policy is printed on stdout. Progress goes to stderr when it is a terminal.`,
    )
    .action(async (flags: GenerateFlags, cmd: Command) => {
      const { runGenerate } = await import('../run/generate.js');
      await runGenerate(flags, cmd.optsWithGlobals<{ debug?: boolean }>());
    });
}
