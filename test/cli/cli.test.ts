// The CLI end to end, as a user runs it: the built dist/cli.js in a child process.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';
import { MINI_ROLE, miniTrail } from '../support/mini-trail.js';

const ROLE = MINI_ROLE;

const run = runCli;

const trail = miniTrail;

describe('codebuild-iam CLI', () => {
  it('--help teaches and exits 0; --version prints the version', () => {
    const h = run(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/Exit codes/);
    const g = run(['generate', '--help']);
    expect(g.code).toBe(0);
    expect(g.stdout).toMatch(/Examples:/);
    expect(run(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("--help's exit codes are the README's: the same codes, and every command the README says exits 1", () => {
    const help = run(['--help']).stdout.split(/^Exit codes/m)[1].split(/\n\n/)[0];
    const readme = readFileSync(repoPath('README.md'), 'utf8').split(/^## Exit codes$/m)[1].split(/^## /m)[0];
    const readmeRows = new Map([...readme.matchAll(/^\| (\d) \| (.*) \|$/gm)].map((m) => [m[1], m[2]]));
    const helpCodes = [...help.matchAll(/^ {2}(\d) {2}/gm)].map((m) => m[1]);
    expect(helpCodes).toEqual([...readmeRows.keys()]);
    // `verify`, `diff --fail-on-widen`, `audit --fail-on`, `generate` in the README's row for 1
    const exitOne = [...(readmeRows.get('1') ?? '').matchAll(/`((?:verify|diff|audit|generate)\b[^`]*)`/g)].map((m) => m[1]);
    expect(exitOne.length).toBeGreaterThanOrEqual(4);
    const helpOne = help.split(/^ {2}2 {2}/m)[0].replace(/\s+/g, ' ');
    for (const c of exitOne) expect(helpOne).toContain(c);
  });

  it('usage and input errors exit 2 with one line and no stack', () => {
    const bad = run(['generate', '--no-such-flag']);
    expect(bad.code).toBe(2);
    const missing = run(['generate', '--logs', '/nonexistent/logs', '--role', ROLE]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^codebuild-iam: --logs \/nonexistent\/logs does not exist/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const nobody = run(['generate', '--logs', trail(), '--role', 'arn:aws:iam::123456789012:role/nobody']);
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toMatch(/no events of role/);
    expect(run(['generate', '--logs', trail(), '--role', ROLE, '--since', 'yesterday-ish']).code).toBe(2);
  });

  it('prints the policy on stdout: generalized per build, denied calls not granted', () => {
    const r = run(['generate', '--logs', trail(), '--role', ROLE]);
    expect(r.code).toBe(0);
    const policy = JSON.parse(r.stdout) as { Statement: Array<{ Action: string[]; Resource: string[] }> };
    const byAction = Object.fromEntries(policy.Statement.flatMap((s) => s.Action.map((a) => [a, s.Resource])));
    expect(byAction['logs:CreateLogStream']).toEqual(['arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/app:log-stream:*']);
    expect(byAction['s3:PutObject']).toEqual(['arn:aws:s3:::artifacts/app/build-*/app.zip']);
    expect(JSON.stringify(policy)).not.toContain('prod');
  });

  it('--out writes every document, byte-identical on rerun; --resources exact keeps observed ARNs', () => {
    const logs = trail();
    const a = mkdtempSync(join(tmpdir(), 'cbiam-out-'));
    const b = mkdtempSync(join(tmpdir(), 'cbiam-out-'));
    expect(run(['generate', '--logs', logs, '--role', ROLE, '--out', a, '--quiet']).code).toBe(0);
    expect(run(['generate', '--logs', logs, '--role', ROLE, '--out', b, '--quiet', '--workers', '1']).code).toBe(0);
    const files = readdirSync(a).sort();
    // The manifest says which files the tool owns in --out (a rerun removes stale ones).
    expect(files).toEqual(['.codebuild-iam-outputs.json', 'boundary.json', 'evidence.json', 'policy.json', 'report.html', 'report.md', 'trust.json']);
    for (const f of files) expect(readFileSync(join(b, f), 'utf8'), f).toBe(readFileSync(join(a, f), 'utf8'));
    const report = readFileSync(join(a, 'report.md'), 'utf8');
    expect(report).toMatch(/Denied calls/);
    expect(report).toMatch(/logs:PutLogEvents/);
    const exact = JSON.parse(run(['generate', '--logs', logs, '--role', ROLE, '--resources', 'exact']).stdout) as { Statement: Array<{ Resource: string[] }> };
    expect(exact.Statement.flatMap((s) => s.Resource)).toContain('arn:aws:s3:::artifacts/app/build-2/app.zip');
  });

  it('a role whose calls were all denied gets no empty policy: exit 2, nothing written', () => {
    const logs = mkdtempSync(join(tmpdir(), 'cbiam-denied-'));
    const rec = {
      eventVersion: '1.09',
      userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::123456789012:assumed-role/cb-role/AWSCodeBuild-00000001-1111-2222-3333-444444444444', accountId: '123456789012', sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE, accountId: '123456789012' } } },
      eventTime: '2024-03-01T10:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'PutObject', awsRegion: 'us-east-1',
      requestParameters: { bucketName: 'prod', key: 'k' }, errorCode: 'AccessDenied', eventType: 'AwsApiCall', recipientAccountId: '123456789012',
    };
    writeFileSync(join(logs, 'a.json'), JSON.stringify({ Records: [rec] }));
    const out = join(logs, 'out');
    const r = run(['generate', '--logs', logs, '--role', ROLE, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nothing to grant: .* denied \(1\)/);
    expect(existsSync(out)).toBe(false);
  });

  it('--strict makes unreadable input exit 2', () => {
    const logs = trail();
    writeFileSync(join(logs, 'broken.json'), '{"Records": [ cb-role');
    expect(run(['generate', '--logs', logs, '--role', ROLE]).code).toBe(0);
    const strict = run(['generate', '--logs', logs, '--role', ROLE, '--strict']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/broken\.json/);
  });
});
