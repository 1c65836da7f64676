// `codebuild-iam export` end to end: the built dist/cli.js in a child process, with files and stdin.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { policyToTerraform } from '../../src/rendering/terraform.js';
import { parsePolicyDocument } from '../../src/iam/policy-document.js';
import { canonical, DEMO_INPUTS, terraformPolicies } from '../cases/export/helpers.js';
import { CLI } from '../support/paths.js';

function run(args: string[], input?: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'export', ...args], { encoding: 'utf8', input: input ?? '' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const POLICY = `${DEMO_INPUTS}policy.json`;
const TRUST = `${DEMO_INPUTS}trust.json`;
const dir = mkdtempSync(join(tmpdir(), 'export-cli-'));

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does it in pretest)`);
});

describe('codebuild-iam export', () => {
  it('--help shows usage, the formats and examples, and exits 0', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: codebuild-iam export \[options\] <file>/);
    expect(r.stdout).toMatch(/"terraform", "cloudformation"/);
    expect(r.stdout).toMatch(/Examples:\n/);
    expect(r.stdout).toContain('$${aws:username}');
  });

  it('prints a Terraform data source that holds the document, named by --name', () => {
    const r = run([POLICY, '--format', 'terraform', '--name', 'codebuild_policy']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const doc = parsePolicyDocument(readFileSync(POLICY, 'utf8'), POLICY);
    expect(r.stdout).toBe(policyToTerraform(doc, 'codebuild_policy'));
    expect(r.stdout).toMatch(/^data "aws_iam_policy_document" "codebuild_policy" \{/);
    expect(canonical(terraformPolicies(r.stdout).codebuild_policy)).toEqual(canonical(doc));
  });

  it('reads stdin with "-", accepts a single-object Statement and writes booleans as strings', () => {
    const input = JSON.stringify({ Statement: { Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': false } } } });
    const r = run(['-', '--format', 'terraform'], input);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('values   = ["false"]');
    expect(terraformPolicies(r.stdout).policy.Statement).toHaveLength(1);
  });

  it('keeps Terraform interpolations unless --literal', () => {
    const input = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '${aws_kms_key.k.arn}' }] });
    expect(run(['-', '--format', 'terraform'], input).stdout).toContain('resources = ["${aws_kms_key.k.arn}"]');
    expect(run(['-', '--format', 'terraform', '--literal'], input).stdout).toContain('resources = ["$${aws_kms_key.k.arn}"]');
  });

  it('prints CloudFormation as YAML by default and as JSON with --cfn-format json, equal in content', () => {
    const yaml = run([POLICY, '--format', 'cloudformation', '--name', 'demo-app-policy']);
    const json = run([POLICY, '--format', 'cloudformation', '--name', 'demo-app-policy', '--cfn-format', 'json']);
    expect(yaml.code).toBe(0);
    expect(json.code).toBe(0);
    expect(yaml.stdout).toContain('ManagedPolicyName: !Ref DemoAppPolicyName');
    const fromYaml = parseYaml(yaml.stdout, { version: '1.1', customTags: [{ tag: '!Ref', resolve: (s: string) => ({ Ref: s }) }] });
    const fromJson = JSON.parse(json.stdout);
    expect(fromYaml).toEqual(fromJson);
    expect(fromJson.Resources.DemoAppPolicy.Properties.PolicyDocument).toEqual(JSON.parse(readFileSync(POLICY, 'utf8')));
  });

  it('turns a trust policy into a CloudFormation role', () => {
    const r = run([TRUST, '--format', 'cloudformation', '--name', 'cb-role', '--cfn-format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).Resources.CbRole.Type).toBe('AWS::IAM::Role');
  });

  const refusals: Array<[string, string[], string | undefined, RegExp]> = [
    ['a missing file', [join(dir, 'nope.json'), '--format', 'terraform'], undefined, /cannot read .*nope\.json \(ENOENT\)/],
    ['a directory', [dir, '--format', 'terraform'], undefined, /cannot read .* \(EISDIR\)/],
    ['text that is not JSON', ['-', '--format', 'terraform'], 'Version: 2012-10-17', /stdin is not valid JSON/],
    ['a JSON list', ['-', '--format', 'terraform'], '[]', /stdin is not an IAM policy document/],
    ['a bad Effect', ['-', '--format', 'terraform'], '{"Statement":[{"Effect":"Maybe","Action":"s3:*"}]}', /Statement\[0\]\.Effect must be "Allow" or "Deny"/],
    ['an unknown element', ['-', '--format', 'terraform'], '{"Statement":[{"Effect":"Allow","Action":"s3:*","Resources":"*"}]}', /element IAM does not know \(Resources\)/],
    ['a CloudFormation template', ['-', '--format', 'terraform'], '{"AWSTemplateFormatVersion":"2010-09-09","Resources":{}}', /is a CloudFormation template/],
    ['AWS CLI get-role-policy output', ['-', '--format', 'terraform'], '{"RoleName":"r","PolicyName":"p","PolicyDocument":{"Statement":[]}}', /wraps the policy in a PolicyDocument element; .*--query PolicyDocument/],
    ['an intrinsic function', ['-', '--format', 'terraform'], '{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":{"Ref":"B"}}]}', /intrinsic function \(Ref at Statement\[0\]\.Resource\)/],
    ['input nested far too deep', ['-', '--format', 'terraform'], `{"Statement":${'['.repeat(50000)}${']'.repeat(50000)}}`, /nested more than 32 levels deep/],
    ['an odd key, quoted on one line', ['-', '--format', 'terraform'], '{"Statement":[{"Effect":"Allow","Action":"s3:*","Bad\\nKey\\u001b[31m":1}]}', /does not know \("Bad\\nKey\\u001b\[31m"\)/],
    ['a Terraform name with a space', [POLICY, '--format', 'terraform', '--name', 'my policy'], undefined, /not a valid Terraform name/],
    ['a resource policy as CloudFormation', ['-', '--format', 'cloudformation'], '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}', /resource policy/],
    ['an unknown --format', [POLICY, '--format', 'pulumi'], undefined, /argument 'pulumi' is invalid/],
    ['no --format', [POLICY], undefined, /required option '--format <format>'/],
  ];

  it.each(refusals)('refuses %s with exit 2, one line and empty stdout', (_what, args, input, message) => {
    const r = run(args, input);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // Our own errors are one line; commander's usage errors add a "(run with --help ...)" hint.
    if (r.stderr.startsWith('error:')) expect(r.stderr).toMatch(/run with --help/);
    else expect(r.stderr).toMatch(/^codebuild-iam: [^\n]+\n$/);
  });
});
