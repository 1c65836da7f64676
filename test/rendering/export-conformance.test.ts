// Conformance with flosell's iam-policy-json-to-terraform: every fixture pair in ../shared gives the same HCL
// modulo whitespace and block ordering, and the three error inputs are refused (exit 2 from the CLI).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../src/errors.js';
import { policyToTerraform } from '../../src/rendering/terraform.js';
import { parsePolicyDocument } from '../../src/iam/policy-document.js';
import { expectedTerraform, FLOSELL_FIXTURES, normalizeHcl } from '../cases/export/helpers.js';
import { CLI } from '../support/paths.js';

const present = existsSync(FLOSELL_FIXTURES);
if (!present) console.warn(`skipping flosell conformance: ${FLOSELL_FIXTURES} is absent (it ships with ../shared)`);

const files = present ? readdirSync(FLOSELL_FIXTURES).sort() : [];
const pairs = files.filter((f) => f.endsWith('.json') && !f.startsWith('error-') && files.includes(f.replace(/\.json$/, '.tf')));
const errors = files.filter((f) => f.startsWith('error-') && f.endsWith('.json'));

describe('HCL normalizer (the comparison the conformance relies on)', () => {
  const base = 'data "x" "p" {\n  statement {\n    sid = "a"\n    resources = ["arn:$${aws:username}"]\n  }\n}\n';
  it('ignores whitespace, attribute order and the order of blocks other than statements', () => {
    expect(normalizeHcl('data "x" "p" { statement { resources = [ "arn:$${aws:username}", ] \n sid = "a" } }')).toBe(normalizeHcl(base));
    const a = 'statement {\n condition {\n test = "A"\n }\n condition {\n test = "B"\n }\n}';
    const b = 'statement {\n condition {\n test = "B"\n }\n condition {\n test = "A"\n }\n}';
    expect(normalizeHcl(a)).toBe(normalizeHcl(b));
  });
  it('still sees an unescaped policy variable, a changed value and a reordered statement', () => {
    expect(normalizeHcl(base.replace('$${', '${'))).not.toBe(normalizeHcl(base));
    expect(normalizeHcl(base.replace('"a"', '"b"'))).not.toBe(normalizeHcl(base));
    const two = 'statement {\n sid = "1"\n}\nstatement {\n sid = "2"\n}\n';
    expect(normalizeHcl(two)).not.toBe(normalizeHcl('statement {\n sid = "2"\n}\nstatement {\n sid = "1"\n}\n'));
  });
});

describe.skipIf(!present)('flosell iam-policy-json-to-terraform fixtures', () => {
  it('has the pairs and error inputs it promises', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(4);
    expect(errors).toHaveLength(3);
  });

  it.each(pairs)('%s converts to the expected HCL', (file) => {
    const input = readFileSync(FLOSELL_FIXTURES + file, 'utf8');
    const expected = expectedTerraform(file, readFileSync(FLOSELL_FIXTURES + file.replace(/\.json$/, '.tf'), 'utf8'));
    const ours = policyToTerraform(parsePolicyDocument(input, file), 'policy');
    expect(normalizeHcl(ours)).toBe(normalizeHcl(expected));
  });

  it.each(errors)('%s is refused with a clear InvalidInput', (file) => {
    const input = readFileSync(FLOSELL_FIXTURES + file, 'utf8');
    let caught: unknown;
    try {
      parsePolicyDocument(input, file);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidInput);
    const message = (caught as Error).message;
    expect(message).toContain(file);
    expect(message).not.toContain('\n');
    expect(message).toMatch(/not valid JSON|CloudFormation|no Statement/);
  });

  it.each(errors)('%s makes the CLI exit 2 with one line and nothing on stdout', (file) => {
    const r = spawnSync(process.execPath, [CLI, 'export', FLOSELL_FIXTURES + file, '--format', 'terraform'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^codebuild-iam: .*error-/);
  });

  it.each(pairs)('%s through the CLI prints the same as the library', (file) => {
    const r = spawnSync(process.execPath, [CLI, 'export', FLOSELL_FIXTURES + file, '--format', 'terraform'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const expected = expectedTerraform(file, readFileSync(FLOSELL_FIXTURES + file.replace(/\.json$/, '.tf'), 'utf8'));
    expect(normalizeHcl(r.stdout)).toBe(normalizeHcl(expected));
  });
});
