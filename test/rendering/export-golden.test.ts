// Golden files for realistic CodeBuild role bundles (test/cases/export/golden/<case>/): the Terraform and
// CloudFormation that `generate --export` writes, compared byte for byte. The expected files were reviewed by
// hand; when the output changes on purpose, review the diff and update them by hand too.
import { readdirSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../src/errors.js';
import type { PolicyDocument } from '../../src/model.js';
import type { RoleBundle } from '../../src/rendering/bundle.js';
import { exportFiles } from '../../src/rendering/export-files.js';
import { parsePolicyDocument } from '../../src/iam/policy-document.js';
import { renderTerraformBundle } from '../../src/rendering/terraform-bundle.js';
import { canonical, parseHcl, terraformPolicies } from '../cases/export/helpers.js';
import { repoPath } from '../support/paths.js';

const GOLDEN = repoPath('test/cases/export/golden/');
const FIXTURES = repoPath('fixtures/export/');

interface BundleCase {
  roleName: string;
  path?: string;
  description?: string;
  policies: string[];
  boundary?: string;
  trust: string;
}

const readDoc = (file: string): PolicyDocument => parsePolicyDocument(readFileSync(FIXTURES + file, 'utf8'), file);

function loadCase(name: string): RoleBundle {
  const c = JSON.parse(readFileSync(`${GOLDEN}${name}/bundle.json`, 'utf8')) as BundleCase;
  return {
    roleName: c.roleName,
    ...(c.path && { path: c.path }),
    ...(c.description && { description: c.description }),
    policies: c.policies.map(readDoc),
    ...(c.boundary && { boundary: readDoc(c.boundary) }),
    trust: readDoc(c.trust),
  };
}

const cases = readdirSync(GOLDEN).sort();
const FORMATS = ['terraform', 'cloudformation'] as const;
const TAGS = [
  { tag: '!Ref', resolve: (s: string) => ({ Ref: s }) },
  { tag: '!GetAtt', resolve: (s: string) => ({ 'Fn::GetAtt': s.split('.') }) },
];

/** Every `${...}` reference in a parsed Terraform value (hcl2json writes expressions as "${expr}"). */
function references(value: unknown): string[] {
  if (typeof value === 'string') return [...value.matchAll(/^\$\{([^}]*)\}$/g)].map((m) => m[1]);
  if (Array.isArray(value)) return value.flatMap(references);
  if (value && typeof value === 'object') return Object.values(value).flatMap(references);
  return [];
}

/** Every {"Ref": x} and {"Fn::GetAtt": [x, _]} target in a template. */
function cfnTargets(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(cfnTargets);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.Ref === 'string') return [o.Ref];
    if (Array.isArray(o['Fn::GetAtt'])) return [String(o['Fn::GetAtt'][0])];
    return Object.values(o).flatMap(cfnTargets);
  }
  return [];
}

describe('golden role bundles', () => {
  it('has the reviewed cases', () => {
    expect(cases).toEqual(['demo', 'demo-split', 'no-boundary']);
  });

  it.each(cases)('%s: every exported file equals its golden file, byte for byte, on every run', (name) => {
    const bundle = loadCase(name);
    const first = exportFiles(bundle, [...FORMATS]);
    const second = exportFiles(loadCase(name), [...FORMATS]);
    expect(first.map((f) => f.name)).toEqual(['iam-role.tf', 'iam-role.cfn.yaml', 'iam-role.cfn.json']);
    expect(second).toEqual(first);
    for (const file of first) {
      expect(file.content, `${name}/${file.name}`).toBe(readFileSync(`${GOLDEN}${name}/${file.name}`, 'utf8'));
    }
  });

  it.each(cases)('%s: the Terraform holds every document exactly and every reference is declared', (name) => {
    const bundle = loadCase(name);
    const tf = readFileSync(`${GOLDEN}${name}/iam-role.tf`, 'utf8');
    const docs = terraformPolicies(tf);
    expect(canonical(docs.trust)).toEqual(canonical(bundle.trust));
    if (bundle.boundary) expect(canonical(docs.boundary)).toEqual(canonical(bundle.boundary));
    else expect(docs.boundary).toBeUndefined();
    bundle.policies.forEach((doc, i) => expect(canonical(docs[i === 0 ? 'policy' : `policy_${i + 1}`])).toEqual(canonical(doc)));

    const parsed = parseHcl(tf);
    // The role exists (its trail is the input): the bundle adopts it by name rather than creating it.
    expect(parsed.import).toEqual([{ id: bundle.roleName, to: '${aws_iam_role.role}' }]);
    expect(tf).toContain(`#   terraform import aws_iam_role.role ${bundle.roleName}\n`);
    const declared = new Set<string>([
      ...Object.keys(parsed.variable).map((v) => `var.${v}`),
      ...Object.keys(parsed.data.aws_iam_policy_document).map((d) => `data.aws_iam_policy_document.${d}`),
      ...Object.entries(parsed.resource as Record<string, object>).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`)),
    ]);
    const used = references({ resource: parsed.resource, output: parsed.output });
    expect(used.length).toBeGreaterThan(4);
    for (const ref of used) expect(declared, ref).toContain(ref.split('.').slice(0, ref.startsWith('data.') ? 3 : 2).join('.'));
    // Every variable and document is used.
    for (const d of declared) if (!d.startsWith('aws_')) expect(used.some((u) => u.startsWith(`${d}.`) || u === d), d).toBe(true);

    const role = parsed.resource.aws_iam_role.role[0];
    expect(role.name).toBe('${var.role_name}');
    expect(parsed.variable.role_name[0].default).toBe(bundle.roleName);
    expect(role.assume_role_policy).toBe('${data.aws_iam_policy_document.trust.json}');
    expect(role.permissions_boundary).toBe(bundle.boundary ? '${aws_iam_policy.boundary.arn}' : undefined);
    const managed = bundle.policies.length > 1;
    expect(Object.keys(parsed.resource.aws_iam_role_policy ?? {})).toHaveLength(managed ? 0 : bundle.policies.length);
    expect(Object.keys(parsed.resource.aws_iam_role_policy_attachment ?? {})).toHaveLength(managed ? bundle.policies.length : 0);
  });

  it.each(cases)('%s: the CloudFormation YAML equals the JSON, holds every document and resolves every Ref', (name) => {
    const bundle = loadCase(name);
    const json = JSON.parse(readFileSync(`${GOLDEN}${name}/iam-role.cfn.json`, 'utf8'));
    const yaml = parseYaml(readFileSync(`${GOLDEN}${name}/iam-role.cfn.yaml`, 'utf8'), { version: '1.1', customTags: TAGS });
    expect(yaml).toEqual(json);
    const role = json.Resources.Role.Properties;
    expect(role.AssumeRolePolicyDocument).toEqual(bundle.trust);
    if (bundle.boundary) {
      expect(role.PermissionsBoundary).toEqual({ Ref: 'Boundary' });
      expect(json.Resources.Boundary.Type).toBe('AWS::IAM::ManagedPolicy');
      expect(json.Resources.Boundary.Properties.PolicyDocument).toEqual(bundle.boundary);
    } else {
      expect(role.PermissionsBoundary).toBeUndefined();
    }
    const docs: unknown[] =
      bundle.policies.length > 1
        ? role.ManagedPolicyArns.map((r: { Ref: string }) => json.Resources[r.Ref].Properties.PolicyDocument)
        : role.Policies.map((p: { PolicyDocument: unknown }) => p.PolicyDocument);
    expect(docs).toEqual(bundle.policies);
    const known = new Set([...Object.keys(json.Parameters), ...Object.keys(json.Resources)]);
    for (const target of cfnTargets(json)) expect(known, target).toContain(target);
    expect(json.Parameters.RoleName.Default).toBe(bundle.roleName);
  });
});

describe('bundle input checks', () => {
  const base = (): RoleBundle => loadCase('no-boundary');
  it('refuses role names and paths IAM would refuse, before writing anything', () => {
    expect(() => renderTerraformBundle({ ...base(), roleName: 'bad name\n# injected' })).toThrow(InvalidInput);
    expect(() => exportFiles({ ...base(), path: 'service-role' }, ['cloudformation'])).toThrow(/not a valid IAM path/);
  });

  it('escapes every ${ of a document in the bundle, so that no logged value becomes a Terraform expression', () => {
    const b = base();
    b.policies = [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${file("/etc/passwd")}' }] }];
    const tf = renderTerraformBundle(b);
    expect(tf).toContain('"arn:aws:s3:::b/$${file(\\"/etc/passwd\\")}"');
    expect(terraformPolicies(tf).policy.Statement[0].Resource).toEqual(['arn:aws:s3:::b/${file("/etc/passwd")}']);
  });
});
