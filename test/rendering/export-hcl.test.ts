// The HCL string escaper, one JSON case per behaviour (test/cases/export/escape-cases.json): what each mode
// writes, and that HashiCorp's parser reads the literal form back as the original text.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hclString, isPolicyVariable } from '../../src/rendering/hcl.js';
import { parseHcl } from '../cases/export/helpers.js';
import { repoPath } from '../support/paths.js';

interface EscapeCase {
  why: string;
  value: string;
  keep: string;
  literal: string;
}

const cases = JSON.parse(readFileSync(repoPath('test/cases/export/escape-cases.json'), 'utf8')) as EscapeCase[];

describe('HCL strings', () => {
  it.each(cases.map((c) => [c.why, c] as const))('%s', (_why, c) => {
    expect(hclString(c.value, 'keep')).toBe(c.keep);
    expect(hclString(c.value, 'literal')).toBe(c.literal);
    expect(parseHcl(`v = ${c.literal}\n`).v).toBe(c.value);
  });

  it('tells policy variables from Terraform expressions by their "prefix:" start', () => {
    for (const v of ['aws:username', 'codebuild:BuildArn', 's3:prefix', 'aws:PrincipalTag/team', '*', '?', '$']) expect(isPolicyVariable(v), v).toBe(true);
    for (const v of ['var.x', 'aws_s3_bucket.b.arn', 'data.aws_region.current.name', 'local.a ? "b:c" : "d"', 'join("/", ["a:b"])']) expect(isPolicyVariable(v), v).toBe(false);
  });
});
