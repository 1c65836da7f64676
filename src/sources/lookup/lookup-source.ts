// The LookupEvents source: CloudTrail event history, read politely. Known builds are looked up by their
// session name (Username = AWSCodeBuild-<uuid>) in their own time window, in every region they may have
// touched plus the global-events region; a build that yields nothing there is looked for again by reading its
// whole window and keeping the role's events on our side. Without builds, the user's window is read that way.
import { InvalidInput, opt, say as message } from '../../errors.js';
import type { BuildInfo, ProjectConfig, ReadStats, SkipReason, TrailRecord, WeightedRecord } from '../../model.js';
import { realClock, LOOKUP_EVENTS_LIMIT, RegionLimiters, type Clock } from '../rate-limit.js';
import type { RetryOptions } from '../rate-limit-retry.js';
import { issuerMatches, recordIssuerArn } from '../role-match.js';
import { emptyStats, type SourceOutput, type SourceQuery } from '../source.js';
import { NO_EVENT_ID, parseLookupEvent, type LookupEvent } from './parse-event.js';
import { buildSpan, clampSpan, mergeSpans, queryRegions, RETENTION_MS, sessionName, type LookupQuery, type Span } from './plan.js';
import { runQuery, type LookupClient, type QueryContext } from './run-query.js';

export interface LookupOptions extends SourceQuery {
  /** The CloudTrail client for a region (one per region: event history is regional). */
  clientFor: (region: string) => LookupClient;
  /** Regions the builds may have touched; the partition's global-events region is added. */
  regions: string[];
  partition?: string;
  /** Builds to look up by session name; without them the user's window is read whole. */
  builds?: BuildInfo[];
  projects?: ProjectConfig[];
  /** Warnings from earlier steps (e.g. the build selection), carried into the output. */
  warnings?: string[];
  clock?: Clock;
  /** Shared per-region buckets; by default at most 2 requests per second per region, as the server sees them. */
  limiters?: RegionLimiters;
  retry?: RetryOptions;
  /** Queries in flight at once, over all regions (each region is still held to its own rate). */
  concurrency?: number;
}

export const DATA_EVENTS_WARNING =
  'CloudTrail event history (LookupEvents) holds management events only: data events such as S3 object reads and writes and Lambda Invoke are missing; infer them from the project configuration (--project or --project-file, without --no-infer), or read the trail with --source athena';

const NOTES_PER_REASON = 20;

interface Accepted {
  record: TrailRecord;
  timeMs: number;
  region: string;
}

/** Runs `tasks` with at most `limit` in flight; the first failure aborts the rest. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item);
    }
  });
  await Promise.all(runners);
}

/** The role's exact ARN (path included), as AssumeRole's resources name it; undefined when not known. */
function fullRoleArn(options: LookupOptions, builds: BuildInfo[]): string | undefined {
  const fromBuild = builds.map((b) => b.serviceRole).find((arn) => arn !== undefined && issuerMatches(options.role, arn));
  if (fromBuild) return fromBuild;
  const fromProject = options.projects?.map((p) => p.serviceRole).find((arn) => arn !== undefined && issuerMatches(options.role, arn));
  if (fromProject) return fromProject;
  const r = options.role;
  // A "/" path is also what an ARN given without its path yields, so it cannot be trusted to be exact.
  return r.account && r.partition && r.path && r.path !== '/' ? `arn:${r.partition}:iam::${r.account}:role${r.path}${r.name}` : undefined;
}

export function openLookup(options: LookupOptions): SourceOutput {
  const clock = options.clock ?? realClock;
  const stats: ReadStats = emptyStats();
  const warnings: string[] = [...(options.warnings ?? [])];
  const builds = options.builds ?? [];
  const regions = queryRegions(options.regions, options.partition);
  if (regions.length === 0) throw new InvalidInput(message`no AWS region to query; pass ${opt('region')} or set AWS_REGION`, { option: 'region' });
  const userWindow = { sinceMs: options.since?.getTime(), untilMs: options.until?.getTime() };
  const nowMs = clock.now();
  if (builds.length === 0 && userWindow.sinceMs === undefined) {
    throw new InvalidInput(
      message`${opt('source')} lookup without ${opt('project')} or ${opt('build')} would read every event of the account for 90 days; pass ${opt('project')} <name> (or ${opt('build')}), or ${opt('since')} to bound the window`,
      { option: 'since' },
    );
  }
  if (userWindow.sinceMs !== undefined && userWindow.sinceMs < nowMs - RETENTION_MS) {
    warnings.push(`event history keeps 90 days: events before ${new Date(nowMs - RETENTION_MS).toISOString()} are not available from LookupEvents; use --source athena for older events`);
  }
  warnings.push(DATA_EVENTS_WARNING);

  const limiters = options.limiters ?? new RegionLimiters({ ...LOOKUP_EVENTS_LIMIT, clock });
  // The first failure stops the other queries instead of letting them run on unobserved.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const seen = new Set<string>();
  const accepted: Accepted[] = [];
  let duplicates = 0;
  let pages = 0;
  let events = 0;
  let queriesDone = 0;
  let queriesPlanned = 0;
  let throttled = 0;
  const regionsTouched = new Set<string>();
  const say = (): void =>
    options.progress?.(`lookup: ${events} events in ${pages} pages from ${regionsTouched.size}/${regions.length} regions, ${queriesDone}/${queriesPlanned} queries, ${accepted.length} of the role`);

  const ctx: QueryContext = {
    clientFor: options.clientFor,
    limiters,
    retry: { clock, ...options.retry },
    signal,
    onPage: (region, n) => {
      pages++;
      events += n;
      regionsTouched.add(region);
      say();
    },
    onRetry: () => {
      throttled++;
    },
  };

  const skip = (reason: SkipReason, where: string, detail: string): void => {
    if (options.strict) throw new InvalidInput(message`${where}: ${detail} (${opt('strict')} stops at the first unusable event; drop ${opt('strict')} to skip and count it)`, { where, option: 'strict' });
    stats.skipped[reason] = (stats.skipped[reason] ?? 0) + 1;
    if (stats.notes.filter((n) => n.reason === reason).length < NOTES_PER_REASON) stats.notes.push({ reason, where, detail });
  };

  /** Reads one event; returns whether it was the role's and inside the windows. */
  const take = (event: LookupEvent, q: LookupQuery): boolean => {
    const parsed = parseLookupEvent(event);
    if (parsed.eventId !== NO_EVENT_ID) {
      if (seen.has(parsed.eventId)) {
        duplicates++;
        return false;
      }
      seen.add(parsed.eventId);
    }
    stats.records++;
    const where = `lookup:${q.region} event ${parsed.eventId}`;
    if (!parsed.ok) {
      skip(parsed.reason, where, parsed.detail);
      return false;
    }
    const issuer = recordIssuerArn(parsed.record);
    if (issuer === undefined || !issuerMatches(options.role, issuer)) {
      stats.skipped['other-principal'] = (stats.skipped['other-principal'] ?? 0) + 1;
      return false;
    }
    const t = parsed.timeMs;
    const outside =
      t < q.startMs || t > q.endMs || (userWindow.sinceMs !== undefined && t < userWindow.sinceMs) || (userWindow.untilMs !== undefined && t > userWindow.untilMs);
    if (outside) {
      stats.skipped['outside-window'] = (stats.skipped['outside-window'] ?? 0) + 1;
      return false;
    }
    stats.matched++;
    accepted.push({ record: parsed.record, timeMs: t, region: q.region });
    return true;
  };

  const run = async (queries: LookupQuery[], perBuild?: Map<string, number>, inspect?: (event: LookupEvent, q: LookupQuery) => void): Promise<void> => {
    queriesPlanned += queries.length;
    await pool(queries, options.concurrency ?? 8, async (q) => {
      try {
        for await (const page of runQuery(ctx, q)) {
          for (const event of page) {
            inspect?.(event, q);
            if (take(event, q) && perBuild) for (const b of q.builds) perBuild.set(b, (perBuild.get(b) ?? 0) + 1);
          }
        }
      } catch (err) {
        if (!stop.signal.aborted) stop.abort(err);
        throw err;
      }
      queriesDone++;
      say();
    });
  };

  async function* records(): AsyncGenerator<WeightedRecord> {
    const spans = new Map<string, Span>();
    for (const b of builds) {
      const raw = buildSpan(b, nowMs);
      if (!raw) {
        warnings.push(`build ${b.id} has not started (no startTime); it was not looked up`);
        continue;
      }
      const span = clampSpan(raw, nowMs, userWindow);
      if (!span) {
        warnings.push(`build ${b.id} lies outside --since/--until or before event history's 90 days; it was not looked up`);
        continue;
      }
      spans.set(b.id, span);
    }
    const byBuild = new Map<string, number>();
    const sessionQueries: LookupQuery[] = [];
    for (const b of builds) {
      const span = spans.get(b.id);
      if (!span) continue;
      for (const region of regions) {
        sessionQueries.push({ region, attribute: { key: 'Username', value: sessionName(b) }, ...span, builds: [b.id] });
      }
    }
    await run(sessionQueries, byBuild);

    // Builds whose session name found none of the role's events. The session name being AWSCodeBuild-<build
    // uuid> is observed, not documented: first look for the role's AssumeRole events in the build's window
    // (ResourceName = the role ARN, a cheap query) and follow the session names they carry.
    let missing = builds.filter((b) => spans.has(b.id) && !byBuild.get(b.id));
    const roleArn = fullRoleArn(options, builds);
    if (missing.length && roleArn) {
      const tried = new Set(builds.map(sessionName));
      const found = new Map<string, Set<string>>();
      const assumeQueries = mergeSpans(missing.map((b) => spans.get(b.id) as Span)).flatMap((span) =>
        regions.map((region): LookupQuery => ({ region, attribute: { key: 'ResourceName', value: roleArn }, ...span, builds: [] })),
      );
      await run(assumeQueries, undefined, (event) => {
        const parsed = parseLookupEvent(event);
        if (!parsed.ok || parsed.record.eventName !== 'AssumeRole') return;
        const params = parsed.record.requestParameters;
        const session = params && typeof params.roleSessionName === 'string' ? params.roleSessionName : undefined;
        if (!session || tried.has(session) || params?.roleArn !== roleArn) return;
        for (const b of missing) {
          const span = spans.get(b.id) as Span;
          if (parsed.timeMs >= span.startMs && parsed.timeMs <= span.endMs) found.set(b.id, new Set([...(found.get(b.id) ?? []), session]));
        }
      });
      const followQueries = missing.flatMap((b) =>
        [...(found.get(b.id) ?? [])].sort().flatMap((session) =>
          regions.map((region): LookupQuery => ({ region, attribute: { key: 'Username', value: session }, ...(spans.get(b.id) as Span), builds: [b.id] })),
        ),
      );
      if (followQueries.length) {
        await run(followQueries, byBuild);
        const followed = missing.filter((b) => byBuild.get(b.id));
        if (followed.length) {
          warnings.push(
            `build(s) ${followed.map((b) => `${b.id} (session ${[...(found.get(b.id) ?? [])].sort().join(', ')})`).join(', ')} ran under another session name than AWSCodeBuild-<uuid>; found through the role's AssumeRole events`,
          );
        }
      }
      missing = missing.filter((b) => !byBuild.get(b.id));
    }
    // Still nothing: read their whole windows and filter by role here.
    const windowSpans: Span[] = builds.length
      ? mergeSpans(missing.map((b) => spans.get(b.id) as Span))
      : [
          clampSpan(
            { startMs: userWindow.sinceMs as number, endMs: userWindow.untilMs ?? nowMs },
            nowMs,
            userWindow,
          ),
        ].filter((s): s is Span => s !== undefined);
    if (windowSpans.length) {
      const windowQueries: LookupQuery[] = [];
      for (const span of windowSpans) {
        const covered = missing.filter((b) => {
          const s = spans.get(b.id) as Span;
          return s.startMs >= span.startMs && s.endMs <= span.endMs;
        });
        for (const region of regions) windowQueries.push({ region, ...span, builds: covered.map((b) => b.id) });
      }
      const before = stats.matched;
      await run(windowQueries, byBuild);
      const found = stats.matched - before;
      const spanText = windowSpans.map((s) => `${new Date(s.startMs).toISOString()}..${new Date(s.endMs).toISOString()}`).join(', ');
      if (missing.length) {
        warnings.push(
          `no events under the session name of build(s) ${missing.map((b) => b.id).sort().join(', ')} (Username = AWSCodeBuild-<uuid>); read every event of ${spanText} in ${regions.join(', ')} instead and kept the role's (${found} found)`,
        );
      } else {
        warnings.push(`no builds to look up by session name: read every event of ${spanText} in ${regions.join(', ')} and kept the role's; --project narrows this to the builds`);
      }
    }
    if (duplicates) warnings.push(`${duplicates} event(s) returned by more than one query were counted once (deduplicated by eventID)`);
    if (throttled) options.progress?.(`lookup: ${throttled} request(s) throttled and retried`);

    // Queries finish in any order; notes and records are sorted so the output does not depend on it.
    stats.notes.sort((a, b) => a.reason.localeCompare(b.reason) || a.where.localeCompare(b.where));
    accepted.sort((a, b) => a.timeMs - b.timeMs || String(a.record.eventID).localeCompare(String(b.record.eventID)));
    for (const a of accepted) {
      const t = String(a.record.eventTime);
      yield { record: a.record, count: 1, firstSeen: t, lastSeen: t, origin: `lookup:${a.region}` };
    }
  }

  return { records: records(), stats, warnings, projects: options.projects, builds: options.builds };
}
