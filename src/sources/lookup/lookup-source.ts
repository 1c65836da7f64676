// The LookupEvents source: CloudTrail event history, read politely. Known builds are looked up by their
// session name (Username = AWSCodeBuild-<uuid>) in their own time window, in every region they may have
// touched plus the global-events region; a build that yields nothing there is looked for again by reading its
// whole window and keeping the role's events on our side. Without builds, the user's window is read that way.
// Which queries to make is planned in plan.ts (pure); this file runs them and keeps the tally.
import { InvalidInput, opt, say as message } from '../../errors.js';
import type { BuildInfo, ProjectConfig, ReadStats, SkipReason, TrailRecord, WeightedRecord } from '../../model.js';
import { realClock, LOOKUP_EVENTS_LIMIT, RegionLimiters, type Clock } from '../rate-limit.js';
import type { RetryOptions } from '../rate-limit-retry.js';
import { issuerMatches, recordIssuerArn } from '../role-match.js';
import { emptyStats, type RecordStream, type SourceQuery } from '../source.js';
import { NO_EVENT_ID, parseLookupEvent, type LookupEvent } from './parse-event.js';
import {
  assumeRoleQueries,
  buildsAt,
  followQueries,
  missingBuilds,
  planLookup,
  sessionName,
  sessionQueries,
  windowQueries,
  type LookupPlan,
  type LookupQuery,
} from './plan.js';
import { runQuery, type LookupClient, type QueryContext } from './run-query.js';

export { DATA_EVENTS_WARNING } from './plan.js';

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

const NOTES_PER_REASON = 20;

interface Accepted {
  record: TrailRecord;
  timeMs: number;
  region: string;
}

/** Runs `work` on every item with at most `limit` in flight; the first failure rejects (the others run on until they check the signal). */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
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

/** What the calls so far returned: the progress line and the closing warnings are made from it. */
interface Tally {
  pages: number;
  events: number;
  queriesDone: number;
  queriesPlanned: number;
  throttled: number;
  duplicates: number;
  regionsTouched: Set<string>;
}

/** Runs planned queries and keeps the role's events: one per event ID, inside the query's and the user's window. */
class Executor {
  readonly stats: ReadStats = emptyStats();
  readonly accepted: Accepted[] = [];
  readonly tally: Tally = { pages: 0, events: 0, queriesDone: 0, queriesPlanned: 0, throttled: 0, duplicates: 0, regionsTouched: new Set() };
  private readonly seen = new Set<string>();
  private readonly ctx: QueryContext;
  // The first failure stops the other queries instead of letting them run on unobserved.
  private readonly stop = new AbortController();

  constructor(
    private readonly options: LookupOptions,
    private readonly plan: LookupPlan,
    clock: Clock,
  ) {
    const signal = options.signal ? AbortSignal.any([options.signal, this.stop.signal]) : this.stop.signal;
    this.ctx = {
      clientFor: options.clientFor,
      limiters: options.limiters ?? new RegionLimiters({ ...LOOKUP_EVENTS_LIMIT, clock }),
      retry: { clock, ...options.retry },
      signal,
      onPage: (region, n) => {
        this.tally.pages++;
        this.tally.events += n;
        this.tally.regionsTouched.add(region);
        this.say();
      },
      onRetry: () => {
        this.tally.throttled++;
      },
    };
  }

  private say(): void {
    const t = this.tally;
    this.options.progress?.(
      `lookup: ${t.events} events in ${t.pages} pages from ${t.regionsTouched.size}/${this.plan.regions.length} regions, ${t.queriesDone}/${t.queriesPlanned} queries, ${this.accepted.length} of the role`,
    );
  }

  private skip(reason: SkipReason, where: string, detail: string): void {
    if (this.options.strict) throw new InvalidInput(message`${where}: ${detail} (${opt('strict')} stops at the first unusable event; drop ${opt('strict')} to skip and count it)`, { where, option: 'strict' });
    this.stats.skipped[reason] = (this.stats.skipped[reason] ?? 0) + 1;
    if (this.stats.notes.filter((n) => n.reason === reason).length < NOTES_PER_REASON) this.stats.notes.push({ reason, where, detail });
  }

  /** Reads one event; returns whether it was the role's and inside the windows. */
  private take(event: LookupEvent, q: LookupQuery): boolean {
    const { stats } = this;
    const parsed = parseLookupEvent(event);
    if (parsed.eventId !== NO_EVENT_ID) {
      if (this.seen.has(parsed.eventId)) {
        this.tally.duplicates++;
        return false;
      }
      this.seen.add(parsed.eventId);
    }
    stats.records++;
    const where = `lookup:${q.region} event ${parsed.eventId}`;
    if (!parsed.ok) {
      this.skip(parsed.reason, where, parsed.detail);
      return false;
    }
    const issuer = recordIssuerArn(parsed.record);
    if (issuer === undefined || !issuerMatches(this.options.role, issuer)) {
      stats.skipped['other-principal'] = (stats.skipped['other-principal'] ?? 0) + 1;
      return false;
    }
    const t = parsed.timeMs;
    const { sinceMs, untilMs } = this.plan.userWindow;
    const outside = t < q.startMs || t > q.endMs || (sinceMs !== undefined && t < sinceMs) || (untilMs !== undefined && t > untilMs);
    if (outside) {
      stats.skipped['outside-window'] = (stats.skipped['outside-window'] ?? 0) + 1;
      return false;
    }
    stats.matched++;
    this.accepted.push({ record: parsed.record, timeMs: t, region: q.region });
    return true;
  }

  /** Runs the queries; counts the role's events per build into `perBuild`; shows every event to `inspect`. */
  async run(queries: LookupQuery[], perBuild?: Map<string, number>, inspect?: (event: LookupEvent) => void): Promise<void> {
    this.tally.queriesPlanned += queries.length;
    await inParallel(queries, this.options.concurrency ?? 8, async (q) => {
      try {
        for await (const page of runQuery(this.ctx, q)) {
          for (const event of page) {
            inspect?.(event);
            if (this.take(event, q) && perBuild) for (const b of q.builds) perBuild.set(b, (perBuild.get(b) ?? 0) + 1);
          }
        }
      } catch (err) {
        if (!this.stop.signal.aborted) this.stop.abort(err);
        throw err;
      }
      this.tally.queriesDone++;
      this.say();
    });
  }

  /** The accepted records in time order (queries finish in any order; notes are sorted for the same reason). */
  *records(): Generator<WeightedRecord> {
    this.stats.notes.sort((a, b) => a.reason.localeCompare(b.reason) || a.where.localeCompare(b.where));
    this.accepted.sort((a, b) => a.timeMs - b.timeMs || String(a.record.eventID).localeCompare(String(b.record.eventID)));
    for (const a of this.accepted) {
      const t = String(a.record.eventTime);
      yield { record: a.record, count: 1, firstSeen: t, lastSeen: t, origin: `lookup:${a.region}` };
    }
  }
}

/** The session names of the role's AssumeRole events (other than those tried) that fall in a missing build's span. */
function sessionCollector(plan: LookupPlan, missing: BuildInfo[], roleArn: string, found: Map<string, Set<string>>): (event: LookupEvent) => void {
  const tried = new Set(plan.builds.map(sessionName));
  return (event) => {
    const parsed = parseLookupEvent(event);
    if (!parsed.ok || parsed.record.eventName !== 'AssumeRole') return;
    const params = parsed.record.requestParameters;
    const session = params && typeof params.roleSessionName === 'string' ? params.roleSessionName : undefined;
    if (!session || tried.has(session) || params?.roleArn !== roleArn) return;
    for (const b of buildsAt(plan, missing, parsed.timeMs)) found.set(b.id, new Set([...(found.get(b.id) ?? []), session]));
  };
}

const spanText = (s: { startMs: number; endMs: number }): string => `${new Date(s.startMs).toISOString()}..${new Date(s.endMs).toISOString()}`;

export function openLookup(options: LookupOptions): RecordStream {
  const clock = options.clock ?? realClock;
  const planned = planLookup({
    regions: options.regions,
    partition: options.partition,
    builds: options.builds ?? [],
    userWindow: { sinceMs: options.since?.getTime(), untilMs: options.until?.getTime() },
    nowMs: clock.now(),
  });
  if ('problem' in planned && planned.problem === 'no-region') throw new InvalidInput(message`no AWS region to query; pass ${opt('region')} or set AWS_REGION`, { option: 'region' });
  if ('problem' in planned) {
    throw new InvalidInput(
      message`${opt('source')} lookup without ${opt('project')} or ${opt('build')} would read every event of the account for 90 days; pass ${opt('project')} <name> (or ${opt('build')}), or ${opt('since')} to bound the window`,
      { option: 'since' },
    );
  }
  const plan: LookupPlan = planned;
  const warnings: string[] = [...(options.warnings ?? []), ...plan.warnings];
  const exec = new Executor(options, plan, clock);

  async function* records(): AsyncGenerator<WeightedRecord> {
    const { regions } = plan;
    const byBuild = new Map<string, number>();
    await exec.run(sessionQueries(plan), byBuild);

    // Builds whose session name found none of the role's events. The session name being AWSCodeBuild-<build
    // uuid> is observed, not documented: first look for the role's AssumeRole events in the build's window
    // (ResourceName = the role ARN, a cheap query) and follow the session names they carry.
    let missing = missingBuilds(plan, byBuild);
    const roleArn = fullRoleArn(options, plan.builds);
    if (missing.length && roleArn) {
      const sessions = new Map<string, Set<string>>();
      await exec.run(assumeRoleQueries(plan, missing, roleArn), undefined, sessionCollector(plan, missing, roleArn, sessions));
      const follow = followQueries(plan, missing, sessions);
      if (follow.length) {
        await exec.run(follow, byBuild);
        const followed = missing.filter((b) => byBuild.get(b.id));
        if (followed.length) {
          warnings.push(
            `build(s) ${followed.map((b) => `${b.id} (session ${[...(sessions.get(b.id) ?? [])].sort().join(', ')})`).join(', ')} ran under another session name than AWSCodeBuild-<uuid>; found through the role's AssumeRole events`,
          );
        }
      }
      missing = missing.filter((b) => !byBuild.get(b.id));
    }
    // Still nothing: read their whole windows and filter by role here.
    const whole = windowQueries(plan, missing);
    if (whole.spans.length) {
      const before = exec.stats.matched;
      await exec.run(whole.queries, byBuild);
      const found = exec.stats.matched - before;
      const spans = whole.spans.map(spanText).join(', ');
      if (missing.length) {
        warnings.push(
          `no events under the session name of build(s) ${missing.map((b) => b.id).sort().join(', ')} (Username = AWSCodeBuild-<uuid>); read every event of ${spans} in ${regions.join(', ')} instead and kept the role's (${found} found)`,
        );
      } else {
        warnings.push(`no builds to look up by session name: read every event of ${spans} in ${regions.join(', ')} and kept the role's; --project narrows this to the builds`);
      }
    }
    if (exec.tally.duplicates) warnings.push(`${exec.tally.duplicates} event(s) returned by more than one query were counted once (deduplicated by eventID)`);
    if (exec.tally.throttled) options.progress?.(`lookup: ${exec.tally.throttled} request(s) throttled and retried`);
    yield* exec.records();
  }

  return { records: records(), stats: exec.stats, warnings, projects: options.projects, builds: options.builds };
}
