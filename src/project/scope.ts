// --project / --build / --last-builds / --wait -> the project configuration and the builds to look up,
// with warnings about builds whose events may not have arrived yet.
import type { BuildInfo, ProjectConfig } from '../model.js';
import { realClock, type Clock } from '../sources/rate-limit.js';
import { fetchProject, type CodeBuildApi } from './builds.js';
import { freshnessWarnings, waitForDelivery } from './freshness.js';
import { withReportGroups } from './project-config.js';
import { selectBuilds } from './select-builds.js';

export interface ScopeRequest {
  client: CodeBuildApi;
  /** The region the CodeBuild client talks to (the project's region). */
  region: string;
  project?: string;
  /** The project, when the caller already fetched it. */
  fetched?: ProjectConfig;
  buildIds?: string[];
  last?: number;
  since?: Date;
  until?: Date;
  wait?: boolean;
  clock?: Clock;
  signal?: AbortSignal;
  progress?: (line: string) => void;
  pollMs?: number;
}

export interface Scope {
  projects: ProjectConfig[];
  builds: BuildInfo[];
  warnings: string[];
}

/** The project named by --project, or by the --build IDs when they all belong to one project. */
export function projectOf(project: string | undefined, buildIds: string[] | undefined): string | undefined {
  if (project) return project;
  const names = new Set((buildIds ?? []).filter((id) => id.includes(':')).map((id) => id.slice(0, id.indexOf(':'))));
  return names.size === 1 ? [...names][0] : undefined;
}

export async function scopeBuilds(req: ScopeRequest): Promise<Scope> {
  const clock = req.clock ?? realClock;
  const projectName = projectOf(req.project, req.buildIds);
  const project = req.fetched ?? (projectName ? await fetchProject(req.client, projectName, req.region, req.signal) : undefined);
  const selected = await selectBuilds(req.client, {
    project: projectName,
    buildIds: req.buildIds,
    last: req.last,
    since: req.since,
    until: req.until,
    region: req.region,
    signal: req.signal,
  });
  let builds = selected.builds;
  const warnings = [...selected.warnings];
  if (req.wait) {
    builds = await waitForDelivery(builds, { client: req.client, region: req.region, clock, signal: req.signal, progress: req.progress, pollMs: req.pollMs });
  } else {
    warnings.push(...freshnessWarnings(builds, clock.now()));
  }
  const roles = new Set(builds.map((b) => b.serviceRole).filter((r): r is string => r !== undefined));
  if (project?.serviceRole) roles.delete(project.serviceRole);
  if (roles.size) warnings.push(`some builds ran with another service role than the project's (${[...roles].sort().join(', ')}); only the chosen role's events are used`);
  return { projects: project ? [withReportGroups(project, selected.reportArns)] : [], builds, warnings };
}
