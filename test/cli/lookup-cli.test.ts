// cli/run/sources/lookup.ts and cli/aws-clients.ts: clients configured as the AWS CLI would be. The endpoints come only from the
// standard environment variables (AWS_ENDPOINT_URL_CLOUDTRAIL, AWS_ENDPOINT_URL_CODEBUILD), proving the SDK
// honours them because the code never sets `endpoint`; credentials come from the default chain.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceFlags } from '../../cli/shared/flags.js';
import { openSource } from '../../cli/run/sources/open-source.js';
import { AwsFailure, type CodebuildIamError } from '../../src/errors.js';
import { EXIT_OF } from '../../cli/report-error.js';
import { parseRoleSpec } from '../../src/sources/role-match.js';
import type { Source, SourceResult } from '../../src/sources/source.js';
import { startAwsEndpoint, type AwsEndpoint } from '../support/aws-endpoint.js';
import { assumedRoleRecord, lookupHandler, storedFromRecord, type FakeBuild } from '../support/lookup-server.js';

const ROLE = 'arn:aws:iam::123456789012:role/service-role/codebuild-demo-service-role';
const UUID = 'abcdef01-2345-4678-89ab-cdef01234567';
const saved = { ...process.env };
let servers: AwsEndpoint[] = [];

beforeEach(() => {
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret-example',
    AWS_REGION: 'eu-west-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  });
});
afterEach(async () => {
  process.env = { ...saved };
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function setup(): Promise<{ trail: AwsEndpoint; cb: AwsEndpoint }> {
  const now = Date.now();
  const start = now - 2 * 3600e3;
  const build: FakeBuild = { id: `demo:${UUID}`, projectName: 'demo', startTime: start / 1000, endTime: (start + 600e3) / 1000, buildStatus: 'SUCCEEDED', serviceRole: ROLE };
  const session = `AWSCodeBuild-${UUID}`;
  const events = ['eu-west-1', 'us-east-1'].map((region, i) =>
    storedFromRecord(assumedRoleRecord({ session, eventName: 'GetParameters', eventSource: 'ssm.amazonaws.com', timeMs: start + 1000 * (i + 1), region, eventId: `ev-${region}` }), session),
  );
  const codebuild = { projects: [{ name: 'demo', arn: 'arn:aws:codebuild:eu-west-1:123456789012:project/demo', serviceRole: ROLE }], builds: [build] };
  // Two endpoints: CloudTrail answers only LookupEvents, CodeBuild only its own calls.
  const trail = await startAwsEndpoint(lookupHandler({ events }));
  const cb = await startAwsEndpoint(lookupHandler({ events: [], codebuild }));
  servers.push(trail, cb);
  process.env.AWS_ENDPOINT_URL_CLOUDTRAIL = trail.url;
  process.env.AWS_ENDPOINT_URL_CODEBUILD = cb.url;
  return { trail, cb };
}

const opened: Array<() => void> = [];
afterEach(() => {
  for (const close of opened.splice(0)) close();
});

/** The lookup source as `generate` opens it from its flags. */
async function lookup(flags: SourceFlags): Promise<Source> {
  const { source, close } = await openSource('lookup', flags);
  opened.push(close);
  return source;
}

const resolveProjectRole = async (flags: SourceFlags): Promise<string | undefined> => (await lookup(flags)).role?.();

/** The event IDs the aggregate kept as samples: here every event is its own fact's sample. */
function sampleIds(r: SourceResult): string[] {
  return [...r.agg.facts.values()].flatMap((f) => f.samples);
}

describe('openLookupSource and resolveProjectRole', () => {
  it('resolves the project role and reads its builds through the per-service endpoint variables', async () => {
    const { trail, cb } = await setup();
    // generate asks the same source for the role, then reads it: the project is fetched once.
    const source = await lookup({ project: 'demo' });
    expect(await source.role?.()).toBe(ROLE);
    const out = await source.read({ role: parseRoleSpec(ROLE) });
    expect(out.stats.matched).toBe(2);
    expect(sampleIds(out).sort()).toEqual(['ev-eu-west-1', 'ev-us-east-1']);
    expect(out.builds.map((b) => b.id)).toEqual([`demo:${UUID}`]);
    expect(out.projects.map((p) => p.serviceRole)).toEqual([ROLE]);
    expect(trail.requests.every((r) => r.operation === 'LookupEvents')).toBe(true);
    expect(new Set(trail.requests.map((r) => r.region))).toEqual(new Set(['eu-west-1', 'us-east-1']));
    // BatchGetProjects once (cached between the two calls), then the build list and the builds.
    expect(cb.requests.map((r) => r.operation)).toEqual(['BatchGetProjects', 'ListBuildsForProject', 'BatchGetBuilds']);
    // The region came from AWS_REGION (the SigV4 scope of the CodeBuild calls).
    expect(cb.requests.every((r) => r.region === 'eu-west-1')).toBe(true);
  });

  it('AWS_ENDPOINT_URL alone serves both services; --region picks the regions; --build names the project', async () => {
    const { trail, cb } = await setup();
    delete process.env.AWS_ENDPOINT_URL_CLOUDTRAIL;
    delete process.env.AWS_ENDPOINT_URL_CODEBUILD;
    process.env.AWS_ENDPOINT_URL = cb.url;
    const out = await (await lookup({ build: [`demo:${UUID}`], region: ['ap-south-1'] })).read({ role: parseRoleSpec(ROLE) });
    // The CodeBuild endpoint holds no events: nothing found, but every call went there.
    expect(out.stats.matched).toBe(0);
    expect(trail.requests).toEqual([]);
    const lookups = cb.requests.filter((r) => r.operation === 'LookupEvents');
    expect(new Set(lookups.map((r) => r.region))).toEqual(new Set(['ap-south-1', 'us-east-1']));
    expect(cb.requests.filter((r) => r.operation !== 'LookupEvents').map((r) => r.operation)).toEqual(['BatchGetProjects', 'BatchGetBuilds']);
    expect(cb.requests.filter((r) => r.operation !== 'LookupEvents').every((r) => r.region === 'ap-south-1')).toBe(true);
  });

  it('missing credentials is a one-line exit-3 failure naming the call', async () => {
    await setup();
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    const err = await resolveProjectRole({ project: 'demo' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsFailure);
    expect(EXIT_OF[(err as CodebuildIamError).kind]).toBe(3);
    expect((err as Error).message).toMatch(/no AWS credentials found for codebuild:BatchGetProjects in eu-west-1/);
  });

  it('no region anywhere is an input error', async () => {
    delete process.env.AWS_REGION;
    await expect(resolveProjectRole({ project: 'demo' })).rejects.toThrow(/no AWS region/);
    // As the AWS CLI does, AWS_DEFAULT_REGION is read when nothing else names a region.
    process.env.AWS_DEFAULT_REGION = 'ap-south-1';
    const { cb } = await setup();
    delete process.env.AWS_REGION;
    expect(await resolveProjectRole({ project: 'demo' })).toBe(ROLE);
    expect(cb.requests.map((r) => r.region)).toEqual(['ap-south-1']);
  });

  it('--profile gives credentials, region and endpoint_url from the shared config, as the AWS CLI does', async () => {
    const { cb } = await setup();
    delete process.env.AWS_ENDPOINT_URL_CODEBUILD;
    delete process.env.AWS_REGION;
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    const dir = mkdtempSync(join(tmpdir(), 'cbiam-profile-'));
    writeFileSync(
      join(dir, 'config'),
      `[profile ci]\nregion = eu-central-1\nendpoint_url = ${cb.url}\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = secret\n`,
    );
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    expect(await resolveProjectRole({ project: 'demo', profile: 'ci' })).toBe(ROLE);
    expect(cb.requests).toHaveLength(1);
    expect(cb.requests[0].region).toBe('eu-central-1');
    expect(String(cb.requests[0].headers.authorization)).toContain('Credential=AKIDPROFILE/');
  });
});
