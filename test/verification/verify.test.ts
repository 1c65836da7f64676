// verify: generated documents pass; removing any statement makes verify exit 1 and name what is now denied;
// the boundary denies escalation and tampering even under an identity policy that allows everything.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import type { PolicyDocument } from '../../src/model.js';
import { AUDIT_ACTIONS, buildBoundary, ESCALATION_ACTIONS, ORGANIZATION_ACTIONS } from '../../src/synthesis/boundary.js';
import { evaluate } from '../../src/verification/evaluator/index.js';
import { replay, requestResource } from '../../src/verification/replay.js';
import { readFiles } from '../../src/sources/files/read-files.js';
import { parseRoleSpec } from '../../src/sources/role-match.js';
import { toEvidence } from '../../src/translation/aggregate.js';
import { MINI_ROLE, miniTrail } from '../support/mini-trail.js';
import { repoPath } from '../support/paths.js';

const run = runCli;

describe('verify', () => {
  const logs = miniTrail();
  const out = mkdtempSync(join(tmpdir(), 'cbiam-verify-'));
  const gen = run(['generate', '--logs', logs, '--role', MINI_ROLE, '--out', out, '--quiet']);

  it('the generated policy and boundary allow every observed request (exit 0)', () => {
    expect(gen.code, gen.stderr).toBe(0);
    const r = run(['verify', '--policy', out, '--logs', logs, '--role', MINI_ROLE]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ 0 denied/);
    // The report's verification line carries verify's own counts.
    const [, requests, events] = /^(\d+) distinct request\(s\) \(\d+ observed, \d+ inferred, \d+ implied; (\d+) event\(s\)\)/.exec(r.stdout) ?? [];
    expect(requests).toBeDefined();
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(`Verification: ${requests} distinct requests (${events} events) replayed against policy and boundary: 0 denied`);
  });

  it('removing any one statement makes verify exit 1 and name the now-denied requests', () => {
    const policy = JSON.parse(readFileSync(join(out, 'policy.json'), 'utf8')) as PolicyDocument;
    expect(policy.Statement.length).toBeGreaterThan(2);
    for (let i = 0; i < policy.Statement.length; i++) {
      const cut: PolicyDocument = { ...policy, Statement: policy.Statement.filter((_, j) => j !== i) };
      const file = join(out, `cut-${i}.json`);
      writeFileSync(file, JSON.stringify(cut));
      const r = run(['verify', '--policy', file, '--boundary', join(out, 'boundary.json'), '--logs', logs, '--role', MINI_ROLE]);
      expect(r.code, `without ${policy.Statement[i].Sid}`).toBe(1);
      const actions = ([] as string[]).concat(policy.Statement[i].Action as string[]);
      for (const a of actions) expect(r.stdout, `without ${policy.Statement[i].Sid}`).toContain(`DENIED ${a} on`);
      expect(r.stdout).toMatch(/no identity statement allows it/);
    }
  });

  it('--json is machine-readable', () => {
    const r = run(['verify', '--policy', join(out, 'policy.json'), '--logs', logs, '--role', MINI_ROLE, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { requests: number; denied: unknown[] };
    expect(j.requests).toBeGreaterThan(5);
    expect(j.denied).toEqual([]);
  });
});

describe('the boundary under an identity policy that allows everything', () => {
  const { document: boundary } = buildBoundary({
    statements: [
      { actions: ['logs:CreateLogStream'], resources: ['arn:aws:logs:us-east-1:123456789012:log-group:g:log-stream:*'] },
      { actions: ['iam:PassRole'], resources: ['arn:aws:iam::123456789012:role/app'] },
      { actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
    ],
    passedRoles: ['arn:aws:iam::123456789012:role/app'],
    regions: ['us-east-1'],
    scope: 'services',
  });
  const everything: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
  const decide = (action: string, resource = '*', region = 'us-east-1') =>
    evaluate({ action, resource, context: { 'aws:RequestedRegion': region } }, { identity: [everything], boundary: [boundary] }).decision;

  it('denies every escalation, tampering and organization action', () => {
    for (const a of [...ESCALATION_ACTIONS, ...AUDIT_ACTIONS, ...ORGANIZATION_ACTIONS]) expect(decide(a), a).not.toBe('Allow');
  });
  it('denies passing other roles, and other regions, but allows what the build uses', () => {
    expect(decide('iam:PassRole', 'arn:aws:iam::123456789012:role/admin')).toBe('ExplicitDeny');
    expect(decide('iam:PassRole', 'arn:aws:iam::123456789012:role/app')).toBe('Allow');
    expect(decide('logs:CreateLogStream', 'arn:aws:logs:eu-west-1:123456789012:log-group:g:log-stream:x', 'eu-west-1')).toBe('ExplicitDeny');
    expect(decide('logs:CreateLogStream', 'arn:aws:logs:us-east-1:123456789012:log-group:g:log-stream:x')).toBe('Allow');
    expect(decide('ecr:GetAuthorizationToken')).toBe('Allow');
    expect(decide('s3:GetObject', 'arn:aws:s3:::any/key')).not.toBe('Allow');
  });
  it('turns patterns into concrete requests: escaped characters literal, our wildcards filled', () => {
    expect(requestResource('arn:aws:s3:::${*}/k')).toBe('arn:aws:s3:::*/k');
    expect(requestResource('arn:aws:secretsmanager:us-east-1:1:secret:n-??????')).toBe('arn:aws:secretsmanager:us-east-1:1:secret:n-XXXXXX');
  });
});

describe('verify on every fixture trail', () => {
  const fixtures = repoPath('fixtures/');
  const trails: Array<{ name: string; logs: string; project: string }> = [
    { name: 'demo', logs: join(fixtures, 'demo/trail'), project: join(fixtures, 'demo/project.json') },
    ...readdirSync(join(fixtures, 'scenarios')).sort().map((s) => ({ name: s, logs: join(fixtures, 'scenarios', s, 'builds-1-3'), project: join(fixtures, 'scenarios', s, 'project.json') })),
  ];
  for (const t of trails) {
    it(`${t.name}: the generated documents pass, and each statement is needed`, async () => {
      const role = (JSON.parse(readFileSync(t.project, 'utf8')) as { projects: Array<{ serviceRole: string }> }).projects[0].serviceRole;
      const out = mkdtempSync(join(tmpdir(), `cbiam-verify-${t.name}-`));
      const g = run(['generate', '--logs', t.logs, '--role', role, '--out', out, '--quiet']);
      expect(g.code, g.stderr).toBe(0);
      expect(run(['verify', '--policy', out, '--logs', t.logs, '--role', role]).code).toBe(0);
      const r = await readFiles({ paths: [t.logs], role: parseRoleSpec(role), workers: 1 });
      const evidence = toEvidence(r.agg, role, {}, r.stats, []);
      const policy = JSON.parse(readFileSync(join(out, 'policy.json'), 'utf8')) as PolicyDocument;
      const boundary = JSON.parse(readFileSync(join(out, 'boundary.json'), 'utf8')) as PolicyDocument;
      expect(replay(evidence, [policy], boundary).denied).toEqual([]);
      for (let i = 0; i < policy.Statement.length; i++) {
        const cut: PolicyDocument = { ...policy, Statement: policy.Statement.filter((_, j) => j !== i) };
        const denied = replay(evidence, [cut], boundary).denied;
        const actions = ([] as string[]).concat(policy.Statement[i].Action as string[]);
        expect(denied.length, `without ${policy.Statement[i].Sid}`).toBeGreaterThan(0);
        for (const d of denied) expect(actions, `${d.action} denied without ${policy.Statement[i].Sid}`).toContain(d.action);
      }
    });
  }
});
