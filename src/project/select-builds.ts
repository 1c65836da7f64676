// Which builds to look up: --build IDs, the last n builds, the builds inside --since/--until, or the last 5.
import type { Build } from '@aws-sdk/client-codebuild';
import { InvalidInput, NotFound, opt, say } from '../errors.js';
import type { BuildInfo } from '../model.js';
import { getBuilds, listBuildIds, toBuildInfo, type CodeBuildApi } from './builds.js';

export const DEFAULT_LAST_BUILDS = 5;
/** The most builds a window selects; more than this is an account-wide scan that Athena does better. */
export const MAX_WINDOW_BUILDS = 200;

export interface BuildSelection {
  project?: string;
  buildIds?: string[];
  last?: number;
  since?: Date;
  until?: Date;
  region: string;
  signal?: AbortSignal;
}

export interface SelectedBuilds {
  builds: BuildInfo[];
  /** Report ARNs the builds wrote, for the project's report groups. */
  reportArns: string[];
  warnings: string[];
}

const BUILD_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,254}:[0-9a-fA-F-]{36}$/;

/** A --build value: "project:uuid", or a bare UUID when --project names the project. */
export function normaliseBuildId(value: string, project: string | undefined): string {
  const v = value.trim();
  const full = v.includes(':') ? v : project ? `${project}:${v}` : v;
  if (!BUILD_ID.test(full)) {
    throw new InvalidInput(say`${opt('build')} ${JSON.stringify(value)} is not a build ID; expected <project>:<uuid> (or the UUID with ${opt('project')})`, { option: 'build', value });
  }
  return full;
}

function overlaps(b: Build, since: Date | undefined, until: Date | undefined): boolean {
  const start = b.startTime?.getTime();
  if (start === undefined) return false;
  const end = b.endTime?.getTime() ?? Infinity;
  return (since === undefined || end >= since.getTime()) && (until === undefined || start <= until.getTime());
}

function result(builds: Build[], region: string, warnings: string[]): SelectedBuilds {
  const infos = builds.map((b) => toBuildInfo(b, region)).filter((b): b is BuildInfo => b !== undefined);
  const reportArns = [...new Set(builds.flatMap((b) => b.reportArns ?? []))].sort();
  return { builds: infos.sort((a, b) => (a.startTime ?? '').localeCompare(b.startTime ?? '') || a.id.localeCompare(b.id)), reportArns, warnings };
}

export async function selectBuilds(client: CodeBuildApi, sel: BuildSelection): Promise<SelectedBuilds> {
  const warnings: string[] = [];
  if (sel.buildIds?.length) {
    const ids = [...new Set(sel.buildIds.map((v) => normaliseBuildId(v, sel.project)))];
    const other = sel.project ? ids.filter((id) => !id.startsWith(`${sel.project}:`)) : [];
    if (other.length) throw new InvalidInput(say`${opt('build')} ${other[0]} is not a build of ${opt('project')} ${sel.project}`, { option: 'build', value: other[0] });
    const got = await getBuilds(client, ids, sel.region, sel.signal);
    if (got.notFound.length) throw new NotFound(say`build(s) ${got.notFound.join(', ')} not found in ${sel.region}; check ${opt('build')} and ${opt('region')}`, { missing: 'build', option: 'build', value: got.notFound.join(', ') });
    return result(got.builds, sel.region, warnings);
  }
  if (!sel.project) throw new InvalidInput(say`${opt('lastBuilds')} and build selection need ${opt('project')} <name>`, { option: 'project' });
  const windowed = sel.last === undefined && (sel.since !== undefined || sel.until !== undefined);
  const wanted = sel.last ?? DEFAULT_LAST_BUILDS;
  const chosen: Build[] = [];
  outer: for await (const ids of listBuildIds(client, sel.project, sel.region, sel.signal)) {
    if (!windowed) {
      const got = await getBuilds(client, ids.slice(0, wanted - chosen.length), sel.region, sel.signal);
      chosen.push(...got.builds);
      if (chosen.length >= wanted) break;
      continue;
    }
    const got = await getBuilds(client, ids, sel.region, sel.signal);
    for (const b of got.builds) {
      if (overlaps(b, sel.since, sel.until)) chosen.push(b);
      // Newest first: once a build ended before the window starts, the older ones did too (close enough;
      // builds run at most 36 hours, and a few stragglers are caught by the span below).
      const start = b.startTime?.getTime();
      if (sel.since && start !== undefined && start < sel.since.getTime() - 36 * 3_600_000) break outer;
      if (chosen.length >= MAX_WINDOW_BUILDS) {
        warnings.push(`more than ${MAX_WINDOW_BUILDS} builds of ${sel.project} in the window: only the newest ${MAX_WINDOW_BUILDS} were looked up; narrow --since/--until or use --source athena`);
        break outer;
      }
    }
  }
  if (chosen.length === 0) {
    throw new NotFound(
      windowed
        ? say`project ${sel.project} has no builds inside ${opt('since')}/${opt('until')} in ${sel.region}; widen the window or pass ${opt('build')}`
        : say`project ${sel.project} has no builds in ${sel.region}; run a build first, or check ${opt('project')} and ${opt('region')}`,
      { missing: 'build', option: 'project', value: sel.project },
    );
  }
  if (!windowed && sel.last === undefined) warnings.push(`no --build, --last-builds or window given: used the last ${chosen.length} build(s) of ${sel.project}`);
  return result(chosen, sel.region, warnings);
}
