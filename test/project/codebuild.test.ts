// CodeBuild projects and builds: the batch-get-projects file parser (golden cases in test/cases/codebuild),
// and the API path with the real CodeBuild client against the local endpoint: project mapping, build
// selection with pagination and 100-ID batches, running builds, --wait, and errors.
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsFailure, InvalidInput } from '../../src/errors.js';
import { BATCH_GET_BUILDS_MAX } from '../../src/project/builds.js';
import { parseProjectsFile } from '../../src/project/projects-file.js';
import { reportGroupOf, withoutUserInfo } from '../../src/project/project-config.js';
import { scopeBuilds } from '../../src/project/scope.js';
import { jsonError, startAwsEndpoint, type AwsEndpoint } from '../support/aws-endpoint.js';
import { FakeClock, lookupHandler, type FakeBuild, type FakeCodeBuild, type FakeProject } from '../support/lookup-server.js';
import { repoPath } from '../support/paths.js';

const CASES = repoPath('test/cases/codebuild/');

describe('parseProjectsFile golden cases', () => {
  const files = readdirSync(CASES).filter((f) => f.endsWith('.json')).sort();
  it('has cases', () => expect(files.length).toBeGreaterThanOrEqual(8));
  for (const file of files) {
    const c = JSON.parse(readFileSync(join(CASES, file), 'utf8')) as {
      description: string;
      input?: unknown;
      inputText?: string;
      expect?: unknown;
      error?: string;
      mustNotContain?: string[];
    };
    it(`${file}: ${c.description}`, () => {
      const text = c.inputText ?? JSON.stringify(c.input, null, 2);
      if (c.error) {
        let err: unknown;
        try {
          parseProjectsFile(text, 'project.json');
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(InvalidInput);
        expect((err as Error).message).toMatch(new RegExp(c.error));
        return;
      }
      const got = parseProjectsFile(text, 'project.json');
      expect(got).toEqual(c.expect);
      for (const s of c.mustNotContain ?? []) expect(JSON.stringify(got)).not.toContain(s);
    });
  }
});

describe('project helpers', () => {
  it('maps report ARNs to report groups and strips URL credentials', () => {
    expect(reportGroupOf('arn:aws:codebuild:eu-west-1:123456789012:report/unit-tests:1b2c3d4e-aaaa-bbbb-cccc-123456789012')).toBe(
      'arn:aws:codebuild:eu-west-1:123456789012:report-group/unit-tests',
    );
    expect(reportGroupOf('arn:aws:codebuild:eu-west-1:123456789012:project/x')).toBeUndefined();
    expect(withoutUserInfo('https://user:pass@git.example.com/r.git')).toBe('https://git.example.com/r.git');
    expect(withoutUserInfo('my-bucket/key@v1')).toBe('my-bucket/key@v1');
  });
});

const NOW = Date.parse('2026-06-01T12:00:00Z');
const ROLE = 'arn:aws:iam::123456789012:role/service-role/codebuild-demo-service-role';
const PROJECT: FakeProject = {
  name: 'demo',
  arn: 'arn:aws:codebuild:eu-west-1:123456789012:project/demo',
  serviceRole: ROLE,
  environment: { type: 'LINUX_CONTAINER', image: 'aws/codebuild/standard:7.0', computeType: 'BUILD_GENERAL1_SMALL', environmentVariables: [{ name: 'TOKEN', value: 'plaintext-secret-value', type: 'PLAINTEXT' }] },
  logsConfig: { cloudWatchLogs: { status: 'ENABLED' } },
};

function uuid(i: number): string {
  const h = i.toString(16).padStart(12, '0');
  return `aaaaaaaa-bbbb-4ccc-8ddd-${h}`;
}

/** n finished builds, newest first, one an hour apart, the newest ending `ageMs` before NOW. */
function builds(n: number, ageMs = 3600e3): FakeBuild[] {
  return Array.from({ length: n }, (_, i) => {
    const end = NOW - ageMs - i * 3600e3;
    return {
      id: `demo:${uuid(n - i)}`,
      arn: `arn:aws:codebuild:eu-west-1:123456789012:build/demo:${uuid(n - i)}`,
      projectName: 'demo',
      startTime: (end - 600e3) / 1000,
      endTime: end / 1000,
      buildStatus: 'SUCCEEDED',
      serviceRole: ROLE,
      reportArns: i === 0 ? ['arn:aws:codebuild:eu-west-1:123456789012:report/demo-tests:0a1b2c3d-0000-4000-8000-000000000000'] : [],
    };
  });
}

let endpoint: AwsEndpoint | undefined;
let client: CodeBuildClient | undefined;
afterEach(async () => {
  client?.destroy();
  await endpoint?.close();
  endpoint = undefined;
});

async function start(cb: FakeCodeBuild, intercept?: Parameters<typeof startAwsEndpoint>[0]): Promise<CodeBuildClient> {
  const handler = lookupHandler({ events: [], codebuild: cb });
  endpoint = await startAwsEndpoint(intercept ?? handler);
  client = new CodeBuildClient({ region: 'eu-west-1', endpoint: endpoint.url, maxAttempts: 1, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
  return client;
}

const ops = (name: string) => (endpoint as AwsEndpoint).requests.filter((r) => r.operation === name);

describe('scopeBuilds against the CodeBuild API', () => {
  it('reads the project and, by default, the last 5 builds through a paginated list', async () => {
    const c = await start({ projects: [PROJECT], builds: builds(12), listPageSize: 3 });
    const s = await scopeBuilds({ client: c, region: 'eu-west-1', project: 'demo', clock: new FakeClock(NOW) });
    expect(s.builds.map((b) => b.uuid)).toEqual([8, 9, 10, 11, 12].map(uuid));
    expect(s.builds[0]).toMatchObject({ projectName: 'demo', region: 'eu-west-1', status: 'SUCCEEDED', serviceRole: ROLE });
    expect(ops('ListBuildsForProject')).toHaveLength(2);
    expect(ops('ListBuildsForProject')[1].body).toMatchObject({ projectName: 'demo', sortOrder: 'DESCENDING', nextToken: '3' });
    expect(s.projects).toHaveLength(1);
    expect(s.projects[0]).toMatchObject({ name: 'demo', region: 'eu-west-1', account: '123456789012', serviceRole: ROLE });
    expect(s.projects[0].reportGroupArns).toEqual(['arn:aws:codebuild:eu-west-1:123456789012:report-group/demo-tests']);
    expect(JSON.stringify(s)).not.toContain('plaintext-secret-value');
    expect(s.warnings.some((w) => /last 5 build/.test(w))).toBe(true);
  });

  it('--last-builds n, and --build by bare UUID with --project', async () => {
    const c = await start({ projects: [PROJECT], builds: builds(6) });
    const last = await scopeBuilds({ client: c, region: 'eu-west-1', project: 'demo', last: 2, clock: new FakeClock(NOW) });
    expect(last.builds.map((b) => b.uuid)).toEqual([5, 6].map(uuid));
    const one = await scopeBuilds({ client: c, region: 'eu-west-1', project: 'demo', buildIds: [uuid(3)], clock: new FakeClock(NOW) });
    expect(one.builds.map((b) => b.id)).toEqual([`demo:${uuid(3)}`]);
    await expect(scopeBuilds({ client: c, region: 'eu-west-1', project: 'demo', buildIds: [uuid(99)] })).rejects.toThrow(/not found in eu-west-1/);
    await expect(scopeBuilds({ client: c, region: 'eu-west-1', project: 'demo', buildIds: ['nope'] })).rejects.toThrow(InvalidInput);
    await expect(scopeBuilds({ client: c, region: 'eu-west-1', project: 'demo', buildIds: [`other:${uuid(1)}`] })).rejects.toThrow(/not a build of project demo/);
  });

  it('selects the builds inside --since/--until, fetching at most 100 IDs a call', async () => {
    const c = await start({ projects: [PROJECT], builds: builds(150) });
    const since = new Date(NOW - 130 * 3600e3);
    const until = new Date(NOW - 20.5 * 3600e3);
    const s = await scopeBuilds({ client: c, region: 'eu-west-1', project: 'demo', since, until, clock: new FakeClock(NOW) });
    const inside = builds(150).filter((b) => (b.endTime as number) * 1000 >= since.getTime() && (b.startTime as number) * 1000 <= until.getTime());
    expect(s.builds.map((b) => b.id).sort()).toEqual(inside.map((b) => b.id).sort());
    const batches = ops('BatchGetBuilds');
    expect(batches.every((r) => (r.body.ids as string[]).length <= BATCH_GET_BUILDS_MAX)).toBe(true);
    expect(batches.map((r) => (r.body.ids as string[]).length)).toEqual([100, 50]);
  });

  it('warns about a build still running or finished minutes ago', async () => {
    const list = builds(2, 5 * 60e3);
    list.unshift({ id: `demo:${uuid(9)}`, projectName: 'demo', startTime: (NOW - 120e3) / 1000, buildStatus: 'IN_PROGRESS', serviceRole: ROLE });
    const c = await start({ projects: [PROJECT], builds: list });
    const s = await scopeBuilds({ client: c, region: 'eu-west-1', project: 'demo', last: 3, clock: new FakeClock(NOW) });
    expect(s.warnings.some((w) => w.includes(`demo:${uuid(9)} is still running`))).toBe(true);
    expect(s.warnings.some((w) => w.includes(`demo:${uuid(2)} finished less than 15 minutes ago`) && /rerun in 10 min/.test(w))).toBe(true);
    expect(s.warnings.some((w) => w.includes(uuid(1)))).toBe(false);
  });

  it('--wait polls a running build until it ends, then waits for delivery', async () => {
    const running: FakeBuild = { id: `demo:${uuid(9)}`, projectName: 'demo', startTime: (NOW - 120e3) / 1000, buildStatus: 'IN_PROGRESS', serviceRole: ROLE };
    const clock = new FakeClock(NOW);
    let polls = 0;
    const c = await start({
      projects: [PROJECT],
      builds: [running],
      onBatchGetBuilds: () => {
        polls++;
        // The build ends on the third poll (the first BatchGetBuilds is the selection itself).
        if (polls === 3) Object.assign(running, { buildStatus: 'SUCCEEDED', endTime: clock.now() / 1000 });
      },
    });
    const s = await scopeBuilds({ client: c, region: 'eu-west-1', project: 'demo', buildIds: [running.id], wait: true, clock, pollMs: 30_000 });
    expect(s.builds[0].status).toBe('SUCCEEDED');
    expect(s.warnings.join('\n')).not.toMatch(/still running|less than 15/);
    // Two polls of 30 s, then 15 minutes after the end.
    expect(clock.sleeps).toEqual([30_000, 30_000, 15 * 60_000]);
    expect(clock.now()).toBe(NOW + 60_000 + 15 * 60_000);
  });

  it('a missing project is an input error; AccessDenied names the permission', async () => {
    const c = await start({ projects: [], builds: [] });
    await expect(scopeBuilds({ client: c, region: 'eu-west-1', project: 'demo' })).rejects.toThrow(/project demo was not found in eu-west-1/);
    client?.destroy();
    await endpoint?.close();
    const denied = await start({ projects: [], builds: [] }, () => jsonError(400, 'AccessDeniedException', 'User is not authorized'));
    const err = await scopeBuilds({ client: denied, region: 'eu-west-1', project: 'demo' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsFailure);
    expect((err as Error).message).toMatch(/denied codebuild:BatchGetProjects in eu-west-1/);
  });
});
