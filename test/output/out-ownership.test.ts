// --out is owned by the tool: a rerun removes what an earlier run wrote and this one did not (a stale
// iam-role.tf beside a new policy), and never a file the tool did not write, whatever the manifest says.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST, writeOutputs } from '../../src/output/write-files.js';
import { runCli } from '../support/run-cli.js';
import { repoPath } from '../support/paths.js';

const DEMO = repoPath('fixtures/demo/');
const ROLE = 'arn:aws:iam::123456789012:role/service-role/codebuild-demo-app-service-role';

describe('--out ownership', () => {
  it('a rerun without --export removes the earlier run\'s iam-role.tf and templates, and keeps the user\'s files', () => {
    const out = mkdtempSync(join(tmpdir(), 'cbiam-own-'));
    writeFileSync(join(out, 'notes.md'), 'mine');
    writeFileSync(join(out, 'policy-7.json'), '{"mine": true}');
    const gen = (extra: string[]) => runCli(['generate', '--logs', join(DEMO, 'trail'), '--role', ROLE, '--out', out, '--quiet', ...extra]);
    expect(gen(['--export', 'terraform,cloudformation']).code).toBe(0);
    expect(existsSync(join(out, 'iam-role.tf'))).toBe(true);
    expect(gen([]).code).toBe(0);
    for (const f of ['iam-role.tf', 'iam-role.cfn.yaml', 'iam-role.cfn.json']) expect(existsSync(join(out, f)), f).toBe(false);
    for (const f of ['policy.json', 'boundary.json', 'trust.json', 'evidence.json', 'report.md']) expect(existsSync(join(out, f)), f).toBe(true);
    // Not written by the tool: kept, even when named like an output.
    expect(readFileSync(join(out, 'notes.md'), 'utf8')).toBe('mine');
    expect(readFileSync(join(out, 'policy-7.json'), 'utf8')).toBe('{"mine": true}');
  });

  it('obeys a manifest only for the names the tool writes, and only for regular files', () => {
    const out = mkdtempSync(join(tmpdir(), 'cbiam-own-'));
    const outside = mkdtempSync(join(tmpdir(), 'cbiam-outside-'));
    writeFileSync(join(outside, 'precious'), 'keep');
    writeFileSync(join(out, 'notes.md'), 'keep');
    mkdirSync(join(out, 'iam-role.tf'));
    symlinkSync(join(outside, 'precious'), join(out, 'iam-role.cfn.yaml'));
    const files = ['../' + outside.split('/').pop() + '/precious', 'notes.md', join(outside, 'precious'), 'iam-role.tf', 'iam-role.cfn.yaml', MANIFEST];
    writeFileSync(join(out, MANIFEST), JSON.stringify({ schema: 'codebuild-iam/outputs@1', files }));
    expect(writeOutputs(out, { 'policy.json': '{}\n' })).toEqual(['policy.json']);
    expect(readFileSync(join(outside, 'precious'), 'utf8')).toBe('keep');
    expect(readFileSync(join(out, 'notes.md'), 'utf8')).toBe('keep');
    expect(existsSync(join(out, 'iam-role.tf'))).toBe(true);
    expect(existsSync(join(out, 'iam-role.cfn.yaml'))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, MANIFEST), 'utf8')).files).toEqual(['policy.json']);
  });
});
