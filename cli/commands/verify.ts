import { Option, type Command } from 'commander';
import { addSourceOptions, collect } from './source-options.js';
import type { VerifyFlags } from '../shared/flags.js';

export function registerVerify(program: Command): void {
  addSourceOptions(
    program
      .command('verify')
      .description(
        'Replay every request the role made successfully, in the context AWS evaluated, against a policy, boundary and SCPs; exit 1 if any would be denied or cannot be decided.',
      )
      .option('--policy <file-or-dir>', 'identity policy JSON (repeatable), or the --out directory of generate', collect)
      .option('--boundary <file>', 'permissions boundary JSON (default: boundary.json of a --policy directory)')
      .option('--scp <file>', 'service control policy JSON, evaluated as a Deny-only guardrail (repeatable)', collect)
      .option('--assume <key=value>', 'a condition key the records cannot tell, e.g. aws:PrincipalOrgID=o-abc123 (repeatable; repeat a key for a multivalued one)', collect)
      .option('--project-file <file>', 'output of `aws codebuild batch-get-projects`: also replay the needs inferred from it (repeatable)', collect)
      .addOption(new Option('--format <format>', 'what to print on stdout: the verdict as text, or as JSON').choices(['text', 'json']).default('text'))
      .option('--json', 'same as --format json'),
  )
    .addHelpText(
      'after',
      `
Each request is replayed with the condition keys its CloudTrail records show: the principal (aws:PrincipalArn,
aws:PrincipalAccount, aws:PrincipalType, aws:userid), aws:SourceIp or the VPC endpoint, aws:ViaAWSService and
aws:CalledVia from invokedBy, aws:CurrentTime and aws:EpochTime from eventTime, aws:RequestedRegion,
aws:ResourceAccount, aws:SecureTransport, and service keys such as s3:x-amz-server-side-encryption,
kms:ViaService, kms:EncryptionContext:*, ec2:Subnet and iam:PassedToService. Keys no record can tell
(aws:PrincipalOrgID, principal and resource tags, ...) leave a statement undecided: when that decides the
result, verify lists the keys and exits 1; give them with --assume. SCPs count only by their Deny statements.

Examples:
  # prove a generated policy against the trail it came from
  codebuild-iam verify --policy out --logs fixtures/demo/trail --role arn:aws:iam::123456789012:role/service-role/codebuild-demo-app-service-role

  # check a hand-edited policy against last week's builds, without a boundary
  codebuild-iam verify --policy role-policy.json --logs ./AWSLogs --role cb-role --since 7d

  # prove the build survives the organization's guardrails
  codebuild-iam verify --policy out --scp deny-outside-org.json --assume aws:PrincipalOrgID=o-abc123 --logs ./AWSLogs --role cb-role

Exit 0 when every observed request is allowed, 1 when any would be denied (each is listed with the
statement or the missing grant that decides it) or depends on keys the records cannot tell (listed, with
the --assume that decides them), 2 for bad input, 3 for AWS failures. Needs that CloudTrail never shows
(logs:PutLogEvents, ...) are replayed and listed too, but only inferred ones (--project-file, --project)
count for the exit code: generate lists implied needs without granting them.`,
    )
    .action(async (flags: VerifyFlags) => {
      const { runVerify } = await import('../run/verify.js');
      await runVerify(flags);
    });
}
