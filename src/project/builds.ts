// CodeBuild projects and builds from the API: BatchGetProjects for the project (role, region, configuration),
// ListBuildsForProject (paginated, newest first) + BatchGetBuilds (at most 100 IDs a call) for its builds.
import {
  BatchGetBuildsCommand,
  BatchGetProjectsCommand,
  ListBuildsForProjectCommand,
  type Build,
  type CodeBuildClient,
} from '@aws-sdk/client-codebuild';
import { NotFound, opt, say } from '../errors.js';
import type { BuildInfo, ProjectConfig } from '../model.js';
import { awsFailure } from '../sources/lookup/aws-failure.js';
import { toProjectConfig } from './project-config.js';

export type CodeBuildApi = Pick<CodeBuildClient, 'send'>;

export const BATCH_GET_BUILDS_MAX = 100;

export function buildUuid(id: string): string {
  const i = id.indexOf(':');
  return i === -1 ? id : id.slice(i + 1);
}

export function toBuildInfo(build: Build, region: string): BuildInfo | undefined {
  if (!build.id) return undefined;
  const arnRegion = build.arn ? /^arn:[^:]+:codebuild:([^:]+):/.exec(build.arn)?.[1] : undefined;
  const info: BuildInfo = {
    id: build.id,
    arn: build.arn,
    projectName: build.projectName ?? build.id.split(':')[0],
    uuid: buildUuid(build.id),
    startTime: build.startTime?.toISOString(),
    endTime: build.endTime?.toISOString(),
    status: build.buildStatus,
    region: arnRegion ?? region,
    serviceRole: build.serviceRole,
  };
  return Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)) as unknown as BuildInfo;
}

export async function fetchProject(client: CodeBuildApi, name: string, region: string, signal?: AbortSignal): Promise<ProjectConfig> {
  let out;
  try {
    out = await client.send(new BatchGetProjectsCommand({ names: [name] }), { abortSignal: signal });
  } catch (err) {
    throw awsFailure(err, 'codebuild:BatchGetProjects', region);
  }
  const found = (out.projects ?? []).find((p) => p.name === name || p.arn === name);
  if (!found) throw new NotFound(say`CodeBuild project ${name} was not found in ${region}; check ${opt('project')} and ${opt('region')}`, { missing: 'project', option: 'project', value: name });
  return toProjectConfig(found, `project ${name}`);
}

export interface FetchedBuilds {
  builds: Build[];
  notFound: string[];
}

/** BatchGetBuilds in calls of at most 100 IDs, results in the order of `ids`. */
export async function getBuilds(client: CodeBuildApi, ids: string[], region: string, signal?: AbortSignal): Promise<FetchedBuilds> {
  const byId = new Map<string, Build>();
  const notFound: string[] = [];
  for (let i = 0; i < ids.length; i += BATCH_GET_BUILDS_MAX) {
    const chunk = ids.slice(i, i + BATCH_GET_BUILDS_MAX);
    let out;
    try {
      out = await client.send(new BatchGetBuildsCommand({ ids: chunk }), { abortSignal: signal });
    } catch (err) {
      throw awsFailure(err, 'codebuild:BatchGetBuilds', region);
    }
    for (const b of out.builds ?? []) if (b.id) byId.set(b.id, b);
    notFound.push(...(out.buildsNotFound ?? []));
  }
  return { builds: ids.map((id) => byId.get(id)).filter((b): b is Build => b !== undefined), notFound };
}

/** Build IDs of a project, newest first, one page at a time. */
export async function* listBuildIds(client: CodeBuildApi, project: string, region: string, signal?: AbortSignal): AsyncGenerator<string[]> {
  let nextToken: string | undefined;
  do {
    let out;
    try {
      out = await client.send(new ListBuildsForProjectCommand({ projectName: project, sortOrder: 'DESCENDING', nextToken }), { abortSignal: signal });
    } catch (err) {
      throw awsFailure(err, 'codebuild:ListBuildsForProject', region);
    }
    yield out.ids ?? [];
    nextToken = out.nextToken && out.nextToken !== nextToken ? out.nextToken : undefined;
  } while (nextToken);
}
