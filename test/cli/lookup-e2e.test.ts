// End to end: `codebuild-iam generate --project demo-app` against a local endpoint that serves the demo
// trail's management events as LookupEvents pages (and the project and its builds as CodeBuild would), and
// `generate --logs` over the same events written as a trail file, produce the same policy.json.
// Event history keeps 90 days, so the events are moved in time to end an hour ago (both runs see the same).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../support/run-cli.js';
import { endpointEnv, jsonError, startAwsEndpoint, type AwsEndpoint } from '../support/aws-endpoint.js';
import { lookupHandler, type FakeBuild, type StoredEvent } from '../support/lookup-server.js';
import { repoPath } from '../support/paths.js';

const ROOT = repoPath('.');
const CLI = join(ROOT, 'dist/cli.js');
const DEMO = join(ROOT, 'fixtures/demo');

type Rec = Record<string, any>;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

function demoRecords(): Rec[] {
  const files = walk(join(DEMO, 'trail')).filter((f) => f.includes('/CloudTrail/')).sort();
  return files.flatMap((f) => {
    const buf = readFileSync(f);
    return (JSON.parse((f.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8')) as { Records: Rec[] }).Records;
  });
}

/** What event history shows as the user name: the session name for assumed roles. */
function username(r: Rec): string {
  const u = r.userIdentity ?? {};
  if (u.type === 'AssumedRole' && typeof u.arn === 'string') return u.arn.slice(u.arn.lastIndexOf('/') + 1);
  return u.userName ?? u.invokedBy ?? '';
}

const runCli = (args: string[], env: NodeJS.ProcessEnv) => runCliAsync(args, env);

const haveDemo = existsSync(join(DEMO, 'trail')) && existsSync(join(DEMO, 'project.json'));
let endpoint: AwsEndpoint | undefined;
afterAll(async () => endpoint?.close());

describe.skipIf(!haveDemo || !existsSync(CLI))('generate --project over LookupEvents equals --logs over the same events', () => {
  it('same policy.json, with the minimum number of LookupEvents calls', async () => {
    // Management events only: event history has no data events.
    const all = demoRecords();
    const records = all.filter((r) => r.managementEvent !== false && r.eventCategory !== 'Data');
    expect(records.length).toBeLessThan(all.length);
    const latest = Math.max(...records.map((r) => Date.parse(r.eventTime)));
    const shift = Date.now() - 3600e3 - latest;
    const moved: Rec[] = records.map((r) => ({ ...r, eventTime: new Date(Date.parse(r.eventTime) + shift).toISOString().replace('.000Z', 'Z') }));

    const dir = mkdtempSync(join(tmpdir(), 'cbiam-lookup-e2e-'));
    const trailDir = join(dir, 'trail');
    mkdirSync(trailDir);
    writeFileSync(join(trailDir, 'events.json'), JSON.stringify({ Records: moved }));

    // The builds, as CodeBuild reports them: one per AWSCodeBuild-<uuid> session, from its first to last event.
    const project = (JSON.parse(readFileSync(join(DEMO, 'project.json'), 'utf8')) as { projects: Rec[] }).projects[0];
    const sessions = new Map<string, number[]>();
    for (const r of moved) {
      const name = username(r);
      if (name.startsWith('AWSCodeBuild-') && r.userIdentity?.sessionContext?.sessionIssuer?.arn === project.serviceRole) sessions.set(name, [...(sessions.get(name) ?? []), Date.parse(r.eventTime)]);
    }
    const builds: FakeBuild[] = [...sessions.entries()]
      .map(([name, times]) => {
        const uuid = name.slice('AWSCodeBuild-'.length);
        return {
          id: `${project.name}:${uuid}`,
          arn: `${project.arn.replace(':project/', ':build/')}:${uuid}`,
          projectName: project.name as string,
          startTime: (Math.min(...times) - 30e3) / 1000,
          endTime: (Math.max(...times) + 30e3) / 1000,
          buildStatus: 'SUCCEEDED',
          serviceRole: project.serviceRole as string,
        };
      })
      .sort((a, b) => (b.startTime as number) - (a.startTime as number));
    expect(builds.length).toBe(3);

    const events: StoredEvent[] = moved.map((r) => ({
      region: r.awsRegion,
      eventId: r.eventID,
      eventName: r.eventName,
      eventSource: r.eventSource,
      timeMs: Date.parse(r.eventTime),
      username: username(r),
      cloudTrailEvent: JSON.stringify(r),
    }));
    // The API sends times as epoch seconds where the AWS CLI prints ISO strings.
    const apiProject = { ...project, created: Date.parse(project.created) / 1000, lastModified: Date.parse(project.lastModified) / 1000 };
    endpoint = await startAwsEndpoint(lookupHandler({ events, codebuild: { projects: [apiProject as any], builds } }));

    // The first --region is the project's (where CodeBuild is asked); the others are only searched for events.
    const projectRegion = (project.arn as string).split(':')[3];
    const regions = [projectRegion, ...[...new Set(moved.map((r) => r.awsRegion as string))].filter((r) => r !== projectRegion).sort()];
    const outLookup = join(dir, 'out-lookup');
    const outFiles = join(dir, 'out-files');
    const env = endpointEnv(endpoint.url);
    const lookup = await runCli(['generate', '--project', project.name, ...regions.flatMap((r) => ['--region', r]), '--no-infer', '--out', outLookup, '--quiet'], env);
    expect(lookup.stderr).not.toMatch(/codebuild-iam:/);
    expect(lookup.code).toBe(0);
    const files = await runCli(['generate', '--logs', trailDir, '--role', project.serviceRole, '--no-infer', '--out', outFiles, '--quiet'], env);
    expect(files.code).toBe(0);

    const a = readFileSync(join(outLookup, 'policy.json'), 'utf8');
    const b = readFileSync(join(outFiles, 'policy.json'), 'utf8');
    expect(JSON.parse(a).Statement.length).toBeGreaterThan(3);
    expect(a).toBe(b);

    // With inference: the project fetched by BatchGetProjects infers what --project-file infers from the same project.
    const outLookupInfer = join(dir, 'out-lookup-infer');
    const outFilesInfer = join(dir, 'out-files-infer');
    const lookups = endpoint.requests.filter((r) => r.operation === 'LookupEvents');
    const li = await runCli(['generate', '--project', project.name, ...regions.flatMap((r) => ['--region', r]), '--out', outLookupInfer, '--quiet'], env);
    expect(li.stderr).not.toMatch(/codebuild-iam:/);
    const fi = await runCli(['generate', '--logs', trailDir, '--role', project.serviceRole, '--project-file', join(DEMO, 'project.json'), '--out', outFilesInfer, '--quiet'], env);
    expect(fi.code).toBe(0);
    expect(readFileSync(join(outLookupInfer, 'policy.json'), 'utf8')).toBe(readFileSync(join(outFilesInfer, 'policy.json'), 'utf8'));

    // The calls: per build session and region, one page per 50 events, at least one (an empty probe).
    let minimum = 0;
    for (const bld of builds) {
      for (const region of new Set([...regions, 'us-east-1'])) {
        const n = events.filter((e) => e.region === region && e.username === `AWSCodeBuild-${bld.id.split(':')[1]}`).length;
        minimum += Math.max(1, Math.ceil(n / 50));
      }
    }
    expect(lookups.length).toBe(minimum);
    expect(lookups.every((r) => (r.body.LookupAttributes as Array<{ AttributeKey: string }>)[0].AttributeKey === 'Username')).toBe(true);
    // Never more than 2 a second per region, as the endpoint saw them.
    for (const region of new Set(lookups.map((r) => r.region))) {
      const at = lookups.filter((r) => r.region === region).map((r) => r.at);
      for (let i = 2; i < at.length; i++) expect(at[i] - at[i - 2]).toBeGreaterThanOrEqual(1000);
    }
    console.log(`lookup e2e: ${events.length} management events, ${builds.length} builds, ${regions.length} regions; ${lookups.length} LookupEvents calls (minimum ${minimum})`);
  });

  it('an expired token on LookupEvents ends generate with exit 3 and one line naming the call', async () => {
    const project = { name: 'demo-app', arn: 'arn:aws:codebuild:us-east-1:123456789012:project/demo-app', serviceRole: 'arn:aws:iam::123456789012:role/service-role/codebuild-demo-app-service-role' };
    const now = Date.now();
    const build: FakeBuild = { id: 'demo-app:11111111-2222-4333-8444-555555555555', projectName: 'demo-app', startTime: (now - 3600e3) / 1000, endTime: (now - 3000e3) / 1000, buildStatus: 'SUCCEEDED', serviceRole: project.serviceRole };
    const handler = lookupHandler({ events: [], codebuild: { projects: [project], builds: [build] }, intercept: () => jsonError(400, 'ExpiredTokenException', 'The security token included in the request is expired') });
    const ep = await startAwsEndpoint(handler);
    try {
      const r = await runCli(['generate', '--project', 'demo-app', '--region', 'us-east-1', '--quiet'], endpointEnv(ep.url));
      expect(r.code).toBe(3);
      const lines = r.stderr.split('\n').filter((l) => l.startsWith('codebuild-iam:'));
      expect(lines).toEqual(['codebuild-iam: the AWS credentials have expired (ExpiredTokenException) calling cloudtrail:LookupEvents in us-east-1; refresh them (e.g. aws sso login) and rerun']);
      expect(r.stdout).toBe('');
    } finally {
      await ep.close();
    }
  });
});
