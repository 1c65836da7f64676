// src/iam/document-names.ts: the one policy.json, policy-2.json, ... rule, and the places that follow it.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { proposalFiles } from '../../src/diff/documents.js';
import { policyFileName, policyFilePart, policyFiles, policyStem } from '../../src/iam/document-names.js';
import { policyName, type RoleBundle } from '../../src/rendering/bundle.js';
import { writeOutputs } from '../../src/output/write-files.js';

describe('policy document names', () => {
  it('names the parts policy, policy-2, policy-3 ... and reads each name back to its part', () => {
    expect([0, 1, 2, 9].map((i) => policyFileName(i))).toEqual(['policy.json', 'policy-2.json', 'policy-3.json', 'policy-10.json']);
    expect([0, 1, 2].map((i) => policyStem(i, '_'))).toEqual(['policy', 'policy_2', 'policy_3']);
    for (let i = 0; i < 30; i++) expect(policyFilePart(policyFileName(i))).toBe(i + 1);
  });

  it.each([
    'policy-.json',
    'policy-2.json.bak',
    'policy-2.JSON',
    'Policy.json',
    '../policy.json',
    'sub/policy-2.json',
    'policy-1e3.json',
    'policy- 2.json',
    'policy-\uff12.json',
    'policy-2.json\n',
    'policy.json ',
    'boundary.json',
    'trust.json',
  ])('%j is no policy part', (name) => {
    expect(policyFilePart(name)).toBeUndefined();
  });

  it('orders parts by number, not by text, and names of one part by name', () => {
    expect(policyFiles(['policy-10.json', 'policy-2.json', 'report.md', 'policy.json', 'policy-02.json', 'policy-1.json'])).toEqual([
      'policy-1.json',
      'policy.json',
      'policy-02.json',
      'policy-2.json',
      'policy-10.json',
    ]);
  });

  it("diff's proposal reader takes the same files in the same order", () => {
    const names = ['trust.json', 'policy-3.json', 'policy.json', 'evidence.json', 'policy-2.json', 'policy-x.json', 'boundary.json'];
    expect(proposalFiles(names).policies).toEqual(policyFiles(names));
    expect(proposalFiles(names).policies).toEqual(['policy.json', 'policy-2.json', 'policy-3.json']);
  });

  it('export names follow the file names', () => {
    const bundle: RoleBundle = { roleName: 'cb-role', policies: [], trust: { Version: '2012-10-17', Statement: [] } };
    expect([0, 1, 2].map((i) => policyName(bundle, i))).toEqual(['cb-role-policy', 'cb-role-policy-2', 'cb-role-policy-3']);
  });

  it('a rerun removes the policy parts it no longer writes, and nothing else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbiam-names-'));
    try {
      writeOutputs(dir, { 'policy.json': '{}\n', 'policy-2.json': '{}\n', 'policy-3.json': '{}\n' });
      writeOutputs(dir, { 'policy.json': '{}\n', 'policy-2.json': '{}\n' });
      expect(readdirSync(dir).filter((f) => f.startsWith('policy')).sort()).toEqual(['policy-2.json', 'policy.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
