// The acceptance: `generate --out out --export terraform,cloudformation` on the demo trail writes
// Terraform and CloudFormation whose role, policy, boundary and trust are exactly the JSON files beside them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/model.js';
import { canonical, terraformPolicies } from '../cases/export/helpers.js';
import { repoPath } from '../support/paths.js';
import { CLI } from '../support/paths.js';

const TRAIL = repoPath('fixtures/demo/trail');
// The demo trail also holds a role of the same name in another account: the full ARN names ours.
const ROLE = 'arn:aws:iam::123456789012:role/service-role/codebuild-demo-app-service-role';
const TAGS = [
  { tag: '!Ref', resolve: (s: string) => ({ Ref: s }) },
  { tag: '!GetAtt', resolve: (s: string) => ({ 'Fn::GetAtt': s.split('.') }) },
];

function generate(extra: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'generate', '--logs', TRAIL, '--role', ROLE, '--quiet', ...extra], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const readJson = (dir: string, name: string): PolicyDocument => JSON.parse(readFileSync(join(dir, name), 'utf8'));

describe.skipIf(!existsSync(TRAIL))('generate --export', () => {
  it('writes iam-role.tf and the templates holding exactly policy, boundary and trust, the same on every run', () => {
    const out = mkdtempSync(join(tmpdir(), 'export-gen-'));
    const again = mkdtempSync(join(tmpdir(), 'export-gen-'));
    const first = generate(['--out', out, '--export', 'terraform,cloudformation']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(generate(['--out', again, '--export', 'terraform,cloudformation']).code).toBe(0);

    const names = readdirSync(out).sort();
    expect(names).toEqual(expect.arrayContaining(['iam-role.tf', 'iam-role.cfn.yaml', 'iam-role.cfn.json', 'policy.json', 'boundary.json', 'trust.json']));
    for (const f of ['iam-role.tf', 'iam-role.cfn.yaml', 'iam-role.cfn.json']) {
      expect(readFileSync(join(again, f), 'utf8'), f).toBe(readFileSync(join(out, f), 'utf8'));
    }

    const policies = names.filter((n) => /^policy(-\d+)?\.json$/.test(n)).sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
    expect(policies[0]).toBe('policy.json');
    const tf = terraformPolicies(readFileSync(join(out, 'iam-role.tf'), 'utf8'));
    expect(canonical(tf.trust)).toEqual(canonical(readJson(out, 'trust.json')));
    expect(canonical(tf.boundary)).toEqual(canonical(readJson(out, 'boundary.json')));
    policies.forEach((p, i) => expect(canonical(tf[i === 0 ? 'policy' : `policy_${i + 1}`]), p).toEqual(canonical(readJson(out, p))));

    const json = JSON.parse(readFileSync(join(out, 'iam-role.cfn.json'), 'utf8'));
    const yaml = parseYaml(readFileSync(join(out, 'iam-role.cfn.yaml'), 'utf8'), { version: '1.1', customTags: TAGS });
    expect(yaml).toEqual(json);
    const role = json.Resources.Role.Properties;
    expect(role.AssumeRolePolicyDocument).toEqual(readJson(out, 'trust.json'));
    expect(json.Resources.Boundary.Properties.PolicyDocument).toEqual(readJson(out, 'boundary.json'));
    const docs = role.Policies
      ? role.Policies.map((p: { PolicyDocument: unknown }) => p.PolicyDocument)
      : role.ManagedPolicyArns.map((r: { Ref: string }) => json.Resources[r.Ref].Properties.PolicyDocument);
    expect(docs).toEqual(policies.map((p) => readJson(out, p)));
    expect(json.Parameters.RoleName.Default).toBe(ROLE.split('/').pop());
  });

  it('--format terraform prints the same file on stdout', () => {
    const out = mkdtempSync(join(tmpdir(), 'export-gen-'));
    expect(generate(['--out', out, '--export', 'terraform']).code).toBe(0);
    const printed = generate(['--format', 'terraform']);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toBe(readFileSync(join(out, 'iam-role.tf'), 'utf8'));
  });
});
