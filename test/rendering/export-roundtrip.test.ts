// Round trips: every Terraform file we write parses (HashiCorp HCL v2 via hcl2-parser) back to the same
// policy, and every CloudFormation template (YAML and JSON) parses back to documents equal to the JSON ones.
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { PolicyDocument, PolicyStatement } from '../../src/model.js';
import { policyToCloudFormation } from '../../src/rendering/cloudformation.js';
import { policyToTerraform } from '../../src/rendering/terraform.js';
import { parsePolicyDocument } from '../../src/iam/policy-document.js';
import { canonical, FLOSELL_FIXTURES, parseHcl, terraformPolicies } from '../cases/export/helpers.js';

// CloudFormation's short tags, read independently of the renderer.
const TAGS = [
  { tag: '!Ref', resolve: (s: string) => ({ Ref: s }) },
  { tag: '!GetAtt', resolve: (s: string) => ({ 'Fn::GetAtt': s.split('.') }) },
];
const readYaml = (text: string, version: '1.1' | '1.2'): Record<string, any> => parseYaml(text, { version, customTags: TAGS }); // eslint-disable-line @typescript-eslint/no-explicit-any

/** The document of the single resource of a one-document template. */
function templateDocument(t: Record<string, any>): PolicyDocument { // eslint-disable-line @typescript-eslint/no-explicit-any
  const [resource] = Object.values(t.Resources) as Array<{ Properties: Record<string, PolicyDocument> }>;
  return resource.Properties.PolicyDocument ?? resource.Properties.AssumeRolePolicyDocument;
}

const fixtureDocs: Array<[string, PolicyDocument]> = existsSync(FLOSELL_FIXTURES)
  ? readdirSync(FLOSELL_FIXTURES)
      .filter((f) => f.endsWith('.json') && !f.startsWith('error-'))
      .sort()
      .map((f) => [f, parsePolicyDocument(readFileSync(FLOSELL_FIXTURES + f, 'utf8'), f)])
  : [];

// Values that stress both syntaxes: HCL escapes and templates, YAML 1.1 look-alikes, unicode, control characters.
const tricky = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(
    '${aws:username}', '$${x}', '$$${x}', '${aws_s3_bucket.b.arn}', '%{ if x }', '%%{', '$', '${', '}', '"', '\\', '\\"',
    'yes', 'no', 'on', 'off', 'y', 'n', '~', 'null', 'true', 'False', '0123', '1e3', '0x1F', '12:30:00', '2012-10-17',
    '- a', '? b', ': c', '#d', '&e', '*', '!f', '|', '>', '@g', '`h', '', ' lead', 'trail ', 'a\nb', '\t', '\u0000', 'é☃🙂',
  ),
);
const listOrOne = fc.oneof(tricky, fc.array(tricky, { minLength: 1, maxLength: 4 }));
const conditionValue = fc.oneof(listOrOne, fc.boolean(), fc.integer());
const statementArb: fc.Arbitrary<PolicyStatement> = fc
  .record(
    {
      Sid: fc.stringMatching(/^[A-Za-z0-9]{1,10}$/),
      Effect: fc.constantFrom('Allow' as const, 'Deny' as const),
      action: fc.tuple(fc.boolean(), listOrOne),
      resource: fc.tuple(fc.boolean(), listOrOne),
      principal: fc.oneof(fc.constant('*' as const), fc.dictionary(fc.constantFrom('AWS', 'Service', 'Federated', 'CanonicalUser'), listOrOne, { minKeys: 1 })),
      notPrincipal: fc.boolean(),
      Condition: fc.dictionary(fc.constantFrom('StringEquals', 'StringLike', 'Bool', 'ArnLike', 'ForAnyValue:StringEquals'), fc.dictionary(tricky, conditionValue, { minKeys: 1, maxKeys: 3 }), { minKeys: 1, maxKeys: 2 }),
    },
    { requiredKeys: ['Effect', 'action'] },
  )
  .map((r) => {
    const s: PolicyStatement = { Effect: r.Effect };
    if (r.Sid !== undefined) s.Sid = r.Sid;
    s[r.action[0] ? 'NotAction' : 'Action'] = r.action[1];
    if (r.resource) s[r.resource[0] ? 'NotResource' : 'Resource'] = r.resource[1];
    if (r.principal) s[r.notPrincipal ? 'NotPrincipal' : 'Principal'] = r.principal;
    if (r.Condition) s.Condition = r.Condition;
    return s;
  });
const documentArb: fc.Arbitrary<PolicyDocument> = fc.record(
  {
    Version: fc.constantFrom('2012-10-17' as const, '2008-10-17' as const),
    Id: tricky,
    Statement: fc.array(statementArb, { maxLength: 4 }),
  },
  { requiredKeys: ['Version', 'Statement'] },
);

describe('Terraform round trip through HCL v2', () => {
  it.skipIf(!fixtureDocs.length)('every conformance input parses back to the same policy, interpolations included', () => {
    for (const [file, doc] of fixtureDocs) {
      const parsed = terraformPolicies(policyToTerraform(doc, 'policy'));
      expect(canonical(parsed.policy), file).toEqual(canonical(doc));
    }
  });

  it('keeps Terraform interpolations live and IAM variables literal', () => {
    const doc: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: ['${aws_s3_bucket.b.arn}/home/${aws:username}/*'] }],
    };
    const tf = policyToTerraform(doc, 'p');
    expect(tf).toContain('"${aws_s3_bucket.b.arn}/home/$${aws:username}/*"');
    // hcl2json prints the expression source for a live interpolation and the text for an escaped one.
    expect(parseHcl(tf).data.aws_iam_policy_document.p[0].statement[0].resources).toEqual(['${aws_s3_bucket.b.arn}/home/${aws:username}/*']);
    const literal = policyToTerraform(doc, 'p', { interpolations: 'literal' });
    expect(literal).toContain('"$${aws_s3_bucket.b.arn}/home/$${aws:username}/*"');
  });

  it('any document, with any characters, survives literal rendering exactly (property test)', () => {
    // HCL (hence Terraform) normalizes strings to NFC, so the property is over NFC text; see the next test.
    const nfc = documentArb.map((d) => JSON.parse(JSON.stringify(d).normalize('NFC')) as PolicyDocument);
    let runs = 0;
    fc.assert(
      fc.property(nfc, (doc) => {
        runs++;
        const parsed = terraformPolicies(policyToTerraform(doc, 'doc', { interpolations: 'literal' }));
        expect(canonical(parsed.doc)).toEqual(canonical(doc));
      }),
      { numRuns: 150, seed: 9 },
    );
    expect(runs).toBe(150);
  });

  it('refuses a value that Terraform would silently normalize (not NFC)', () => {
    const doc: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/cafe\u0301' }] };
    expect(() => policyToTerraform(doc, 'p')).toThrow(/Statement\[0\]\.Resource of document "p" is not in Unicode normal form C/);
  });
});

describe('hostile keys', () => {
  it('a condition key or principal type "__proto__" is kept in both outputs, never silently dropped', () => {
    const text = '{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Principal":{"__proto__":"x"},"Condition":{"StringEquals":{"__proto__":"y"}}}]}';
    const doc = parsePolicyDocument(text, 'input');
    const tf = terraformPolicies(policyToTerraform(doc, 'p')).p;
    expect(JSON.stringify(tf.Statement[0].Condition)).toBe('{"StringEquals":{"__proto__":["y"]}}');
    expect(JSON.stringify(tf.Statement[0].Principal)).toBe('{"__proto__":["x"]}');
    const cfn = policyToCloudFormation({ ...doc, Statement: [{ ...doc.Statement[0], Principal: undefined }] }, 'p', 'json');
    expect(JSON.parse(cfn).Resources.P.Properties.PolicyDocument.Statement[0].Condition).toEqual(JSON.parse('{"StringEquals":{"__proto__":"y"}}'));
  });
});

describe('CloudFormation round trip', () => {
  it.skipIf(!fixtureDocs.length)('every conformance input without principals: YAML and JSON hold the input document', () => {
    const docs = fixtureDocs.filter(([, d]) => d.Statement.every((s) => !s.Principal && !s.NotPrincipal));
    expect(docs.length).toBeGreaterThanOrEqual(2);
    for (const [file, doc] of docs) {
      const json = JSON.parse(policyToCloudFormation(doc, 'p', 'json'));
      const yaml = readYaml(policyToCloudFormation(doc, 'p', 'yaml'), '1.1');
      expect(yaml, file).toEqual(json);
      expect(canonical(templateDocument(json)), file).toEqual(canonical(doc));
      expect(json.Resources.P.Type).toBe('AWS::IAM::ManagedPolicy');
    }
  });

  it('a trust policy becomes a role whose AssumeRolePolicyDocument is the input', () => {
    const trust: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    };
    const t = readYaml(policyToCloudFormation(trust, 'cb-role', 'yaml'), '1.1');
    expect(t.Resources.CbRole.Type).toBe('AWS::IAM::Role');
    expect(t.Resources.CbRole.Properties.RoleName).toEqual({ Ref: 'CbRoleName' });
    expect(t.Parameters.CbRoleName.Default).toBe('cb-role');
    expect(t.Resources.CbRole.Properties.AssumeRolePolicyDocument).toEqual(trust);
  });

  it('any document keeps every value and type in YAML (read as 1.1 and 1.2) and JSON (property test)', () => {
    const noPrincipals = documentArb.map((d) => ({
      ...d,
      Statement: d.Statement.map(({ Principal: _p, NotPrincipal: _n, ...s }) => s),
    }));
    fc.assert(
      fc.property(noPrincipals, (doc) => {
        const json = JSON.parse(policyToCloudFormation(doc, 'p', 'json'));
        const text = policyToCloudFormation(doc, 'p', 'yaml');
        // Exact, not canonical: booleans stay booleans and strings such as "yes" or "0123" stay strings.
        expect(templateDocument(json)).toEqual(doc);
        expect(templateDocument(readYaml(text, '1.1'))).toEqual(doc);
        expect(templateDocument(readYaml(text, '1.2'))).toEqual(doc);
      }),
      { numRuns: 200, seed: 9 },
    );
  });
});
