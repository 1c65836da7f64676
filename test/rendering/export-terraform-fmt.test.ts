// Terraform itself, when installed: `terraform fmt` parses with the real HCL parser and finds nothing to
// change in what we write, and formats our conformance output exactly as it formats flosell's.
// (`terraform validate` needs the AWS provider, which needs the network, so it is not run.)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/model.js';
import type { RoleBundle } from '../../src/rendering/bundle.js';
import { exportFiles } from '../../src/rendering/export-files.js';
import { policyToTerraform } from '../../src/rendering/terraform.js';
import { parsePolicyDocument } from '../../src/iam/policy-document.js';
import { expectedTerraform, FLOSELL_FIXTURES } from '../cases/export/helpers.js';
import { repoPath } from '../support/paths.js';

// No update check (no network here) and no user CLI configuration.
const env = { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null' };
const terraform = spawnSync('terraform', ['version'], { env, encoding: 'utf8' });
const present = terraform.status === 0;
if (!present) console.warn('skipping terraform fmt checks: no `terraform` on PATH');

/** `terraform fmt` of a text: its output and exit status (2 on a syntax error, 3 with -check when it would change). */
function fmt(text: string, check = false): { code: number; out: string; err: string } {
  const r = spawnSync('terraform', ['fmt', ...(check ? ['-check'] : []), '-'], { env, input: text, encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const GOLDEN = repoPath('test/cases/export/golden/');
const FIXTURES = repoPath('fixtures/export/');

describe.skipIf(!present)('terraform fmt', () => {
  it('finds nothing to change in the golden bundles', () => {
    const cases = readdirSync(GOLDEN);
    expect(cases.length).toBe(3);
    for (const c of cases) {
      const r = fmt(readFileSync(`${GOLDEN}${c}/iam-role.tf`, 'utf8'), true);
      expect(r.code, `${c}: ${r.err}`).toBe(0);
    }
  });

  it.skipIf(!existsSync(FLOSELL_FIXTURES))('formats our conformance output exactly as it formats the expected one', () => {
    const pairs = readdirSync(FLOSELL_FIXTURES).filter((f) => f.endsWith('.json') && !f.startsWith('error-'));
    expect(pairs.length).toBeGreaterThanOrEqual(4);
    for (const f of pairs) {
      const ours = fmt(policyToTerraform(parsePolicyDocument(readFileSync(FLOSELL_FIXTURES + f, 'utf8'), f), 'policy'));
      const theirs = fmt(expectedTerraform(f, readFileSync(FLOSELL_FIXTURES + f.replace(/\.json$/, '.tf'), 'utf8')));
      expect(ours.code, f).toBe(0);
      expect(ours.out, f).toBe(theirs.out);
    }
  });

  it('accepts as valid, already formatted HCL any bundle with arbitrary text in its documents (property test)', () => {
    const trust = parsePolicyDocument(readFileSync(`${FIXTURES}codebuild-demo/trust.json`, 'utf8'), 'trust');
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 10 }), fc.constantFrom('${aws:username}', '${x.y}', '%{ if }', '"', '\\', '\n', '$$${'));
    const docArb = fc.array(
      fc.record({ Effect: fc.constantFrom('Allow' as const, 'Deny' as const), Action: fc.array(text, { minLength: 1, maxLength: 3 }), Resource: text, Condition: fc.constant({ StringLike: { 'aws:PrincipalTag/t': ['a', 'b'] } }) }),
      { minLength: 1, maxLength: 3 },
    );
    const samples = fc.sample(docArb, { numRuns: 40, seed: 9 }).map((s) => JSON.parse(JSON.stringify(s).normalize('NFC')) as PolicyDocument['Statement']);
    const files = samples.map((statements, i) => {
      const b: RoleBundle = { roleName: `r${i}`, policies: [{ Version: '2012-10-17', Statement: statements }], trust };
      return exportFiles(b, ['terraform'])[0].content;
    });
    // One run for all samples (fmt checks syntax and layout, not duplicate names): terraform is slow to start.
    const r = fmt(files.join('\n'), true);
    expect(r.code, r.err).toBe(0);
  });
});
