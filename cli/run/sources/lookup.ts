// --source lookup: creates the CodeBuild and CloudTrail clients the way the AWS CLI would (default credential
// chain, --profile, --region / AWS_REGION / the profile's region, and AWS_ENDPOINT_URL[_<SERVICE>], which the
// SDK applies itself because we never set `endpoint`), scopes to the project's builds, and opens the source.
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import type { SourceFlags } from '../../commands/source-options.js';
import { InputError } from '../../errors.js';
import type { ProjectConfig } from '../../../src/model.js';
import { fetchProject } from '../../../src/sources/codebuild/builds.js';
import { splitProjectArn } from '../../../src/sources/codebuild/project-config.js';
import { projectOf, scopeBuilds } from '../../../src/sources/codebuild/scope.js';
import { issuerMatches } from '../../../src/sources/role-match.js';
import { openLookup } from '../../../src/sources/lookup/lookup-source.js';
import type { SourceOutput, SourceQuery } from '../../../src/sources/source.js';

/**
 * --profile as the AWS CLI applies it. The SDK's `profile` option selects credentials and region, but its
 * endpoint resolution reads only AWS_PROFILE (checked with the installed SDK: a profile's endpoint_url is
 * ignored otherwise), so the profile is also put in AWS_PROFILE for this one-shot process.
 */
function useProfile(flags: SourceFlags): void {
  if (flags.profile && process.env.AWS_PROFILE !== flags.profile) process.env.AWS_PROFILE = flags.profile;
}

function clientConfig(flags: SourceFlags, region?: string): { region?: string; profile?: string } {
  useProfile(flags);
  return { ...(region ? { region } : {}), ...(flags.profile ? { profile: flags.profile } : {}) };
}

/** The first --region, else what the SDK finds (AWS_REGION, the profile's region), else AWS_DEFAULT_REGION as the AWS CLI reads it. */
async function homeRegion(flags: SourceFlags): Promise<string> {
  const given = flags.region?.[0];
  if (given) return given;
  try {
    const probe = new CodeBuildClient(clientConfig(flags));
    const r = await probe.config.region();
    probe.destroy();
    if (r) return r;
  } catch {
    // The SDK found no region; the AWS CLI would still read AWS_DEFAULT_REGION.
  }
  if (process.env.AWS_DEFAULT_REGION) return process.env.AWS_DEFAULT_REGION;
  throw new InputError('no AWS region: pass --region, set AWS_REGION, or set region in the AWS profile');
}

/** One BatchGetProjects per command run (the same flags object): resolveProjectRole, then openLookupSource. */
const projects = new WeakMap<SourceFlags, Map<string, Promise<ProjectConfig>>>();

function project(flags: SourceFlags, client: CodeBuildClient, name: string, region: string): Promise<ProjectConfig> {
  let cache = projects.get(flags);
  if (!cache) {
    cache = new Map();
    projects.set(flags, cache);
  }
  const key = `${region}\n${name}`;
  let p = cache.get(key);
  if (!p) {
    p = fetchProject(client, name, region);
    cache.set(key, p);
  }
  return p;
}

/** The service role ARN of --project, so that `generate --project my-app` needs no --role. */
export async function resolveProjectRole(flags: SourceFlags): Promise<string | undefined> {
  const name = projectOf(flags.project, flags.build);
  if (!name) return undefined;
  const region = await homeRegion(flags);
  const client = new CodeBuildClient(clientConfig(flags, region));
  try {
    return (await project(flags, client, name, region)).serviceRole;
  } finally {
    client.destroy();
  }
}

function parseLast(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InputError(`--last-builds ${v} is not a whole number from 1 to 1000`);
  return n;
}

export async function openLookupSource(flags: SourceFlags, query: SourceQuery): Promise<SourceOutput> {
  const last = parseLast(flags.lastBuilds);
  const region = await homeRegion(flags);
  const codebuild = new CodeBuildClient(clientConfig(flags, region));
  const name = projectOf(flags.project, flags.build);
  const warnings: string[] = [];
  let scope: Awaited<ReturnType<typeof scopeBuilds>> | undefined;
  try {
    const fetched = name ? await project(flags, codebuild, name, region) : undefined;
    if (name || flags.build?.length || last !== undefined) {
      scope = await scopeBuilds({
        client: codebuild,
        fetched,
        region,
        project: flags.project,
        buildIds: flags.build,
        last,
        since: query.since,
        until: query.until,
        wait: flags.wait === true,
        signal: query.signal,
        progress: query.progress,
      });
    }
  } finally {
    codebuild.destroy();
  }
  const proj = scope?.projects[0];
  if (proj?.serviceRole && flags.role && !issuerMatches(query.role, proj.serviceRole)) {
    warnings.push(`--role ${flags.role} is not the service role of project ${proj.name} (${proj.serviceRole}); only --role's events are used`);
  }
  warnings.push(...(scope?.warnings ?? []));
  const partition = (proj && splitProjectArn(proj.arn)?.partition) ?? query.role.partition;
  const regions = flags.region?.length ? flags.region : [proj?.region ?? region];
  // maxAttempts 1: retries are ours, each behind the region's token bucket (see src/sources/rate-limit-retry.ts).
  const clients = new Map<string, CloudTrailClient>();
  const clientFor = (r: string): CloudTrailClient => {
    let c = clients.get(r);
    if (!c) {
      c = new CloudTrailClient({ ...clientConfig(flags, r), maxAttempts: 1 });
      clients.set(r, c);
    }
    return c;
  };
  const out = openLookup({ ...query, clientFor, regions, partition, builds: scope?.builds, projects: scope?.projects, warnings });
  const inner = out.records;
  async function* records(): AsyncGenerator<(typeof out.records extends AsyncIterable<infer T> ? T : never)> {
    try {
      yield* inner;
    } finally {
      for (const c of clients.values()) c.destroy();
    }
  }
  return { ...out, records: records() };
}
