// The demo trail shipped in fixtures/demo: its generated policy equals the reviewed expected policy, with and
// without the project configuration, and everything the README promises about it holds.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { repoPath } from '../support/paths.js';

const DEMO = repoPath('fixtures/demo/');
/** Reviewed report.md and diff markdown of the demo (golden files). */
const REPORTS = repoPath('test/cases/reports/');
const ROLE = 'arn:aws:iam::123456789012:role/service-role/codebuild-demo-app-service-role';
const run = runCli;
const expected = (name: string): string => readFileSync(join(DEMO, name), 'utf8');

describe('demo trail', () => {
  it('generates exactly the reviewed policy', () => {
    const r = run(['generate', '--logs', join(DEMO, 'trail'), '--role', ROLE]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(expected('expected-policy.json'));
  });

  it('with --project-file, grants the unlogged needs with exact ARNs (reviewed policy)', () => {
    const r = run(['generate', '--logs', join(DEMO, 'trail'), '--role', ROLE, '--project-file', join(DEMO, 'project.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(expected('expected-policy-with-project.json'));
    expect(r.stdout).toContain('logs:PutLogEvents');
  });

  it('writes the report and evidence the README describes, and proves them', () => {
    const out = mkdtempSync(join(tmpdir(), 'cbiam-demo-'));
    const r = run(['generate', '--logs', join(DEMO, 'trail'), '--role', ROLE, '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toBe(readFileSync(join(REPORTS, 'demo-report.md'), 'utf8'));
    expect(report).toMatch(/in 3 builds/);
    // PutLogEvents is never in the trail, but every stream a build creates is written to: granted, marked implied.
    const granted = report.slice(report.indexOf('## What is granted'));
    expect(granted).toMatch(/\| `logs:PutLogEvents` \| `arn:aws:logs:us-east-1:123456789012:log-group:\/aws\/codebuild\/demo-app:log-stream:\*` \| implied \|/);
    expect(readFileSync(join(out, 'policy.json'), 'utf8')).toContain('logs:PutLogEvents');
    const actionNeeded = report.slice(report.indexOf('## Action needed'), report.indexOf('## What is granted'));
    expect(actionNeeded).toMatch(/demo-app-prod-assets/); // denied, listed
    expect(readFileSync(join(out, 'policy.json'), 'utf8')).not.toMatch(/prod-assets|prod\/db/);
    const evidence = JSON.parse(readFileSync(join(out, 'evidence.json'), 'utf8')) as {
      read: { records: number; matched: number; skippedTotal: number };
      statements: Array<{ sid: string; actions: Array<{ action: string; events: number; builds: number; sampleEventIds: string[] }> }>;
      verification: { denied: number };
    };
    expect(evidence.read.records).toBe(evidence.read.matched + evidence.read.skippedTotal);
    expect(evidence.verification.denied).toBe(0);
    const put = evidence.statements.flatMap((s) => s.actions).find((a) => a.action === 'logs:PutLogEvents') as unknown as { origin: string; builds: number };
    expect(put.origin).toBe('implied');
    expect(put.builds).toBe(3);
    const stream = evidence.statements.flatMap((s) => s.actions).find((a) => a.action === 'logs:CreateLogStream');
    expect(stream?.builds).toBe(3);
    expect(stream?.sampleEventIds.length).toBeGreaterThan(0);
    const trust = JSON.parse(readFileSync(join(out, 'trust.json'), 'utf8')) as { Statement: Array<{ Condition: Record<string, Record<string, string>> }> };
    expect(trust.Statement[0].Condition.ArnLike['aws:SourceArn']).toBe('arn:aws:codebuild:us-east-1:123456789012:project/demo-app');
    expect(run(['verify', '--policy', out, '--logs', join(DEMO, 'trail'), '--role', ROLE]).code).toBe(0);
  });

  it('--no-infer leaves the implied PutLogEvents out and says so; verify replays implied needs and finds it missing', () => {
    const out = mkdtempSync(join(tmpdir(), 'cbiam-demo-noinfer-'));
    const r = run(['generate', '--logs', join(DEMO, 'trail'), '--role', ROLE, '--out', out, '--quiet', '--no-infer']);
    expect(r.code, r.stderr).toBe(0);
    const policy = readFileSync(join(out, 'policy.json'), 'utf8');
    expect(policy).not.toContain('logs:PutLogEvents');
    expect(policy).toContain('logs:CreateLogStream');
    // The report escapes markdown punctuation in prose; read it as rendered text.
    const report = readFileSync(join(out, 'report.md'), 'utf8').replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, '$1');
    expect(report).toMatch(/--no-infer: 3 implied need\(s\) of observed calls \(e\.g\. logs:PutLogEvents\) are left out of the policy/);
    expect(report).toMatch(/`logs:PutLogEvents` on `[^`]*log-stream:\*`: [^\n]*left out: --no-infer\)/);
    // The policy written without implied needs would break the next build's logging: verify says so (exit 1).
    const v = run(['verify', '--policy', join(out, 'policy.json'), '--logs', join(DEMO, 'trail'), '--role', ROLE]);
    expect(v.code).toBe(1);
    expect(v.stdout + v.stderr).toContain('logs:PutLogEvents');
  });

  it('diff --format markdown against the console-made policy equals the reviewed comment', () => {
    const out = mkdtempSync(join(tmpdir(), 'cbiam-demo-'));
    expect(run(['generate', '--logs', join(DEMO, 'trail'), '--role', ROLE, '--out', out, '--quiet']).code).toBe(0);
    const r = run(['diff', '--proposed', out, '--current', join(DEMO, 'current-policy.json'), '--format', 'markdown']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(REPORTS, 'demo-diff.md'), 'utf8'));
    // The boundary's region deny is stated once, and no local path reaches the comment.
    expect(r.stdout.match(/unless denied/g)).toHaveLength(1);
    expect(r.stdout).not.toContain(out);
    expect(r.stdout).not.toContain(DEMO);
  });
});
