// Which LookupEvents queries to make. Event history takes one lookup attribute and one region per call, so a
// build becomes one query per region, narrowed by its session name and its time window; only when that
// finds nothing do we read whole windows and filter on our side.
import type { BuildInfo } from '../../model.js';
import { withGlobalRegion } from '../regions.js';
import { EVENT_HISTORY_WARNING } from '../../translation/unlogged-table.js';

/** CodeBuild assumes the role a little before the build starts (provisioning). */
export const BEFORE_START_MS = 5 * 60_000;
/** Finalizing, and events whose time is the call time but which arrive late. */
export const AFTER_END_MS = 15 * 60_000;
/** Event history keeps 90 days. */
export const RETENTION_MS = 90 * 86_400_000;

export type LookupAttributeKey = 'EventId' | 'EventName' | 'ReadOnly' | 'Username' | 'ResourceType' | 'ResourceName' | 'EventSource' | 'AccessKeyId';

export interface LookupQuery {
  region: string;
  attribute?: { key: LookupAttributeKey; value: string };
  startMs: number;
  endMs: number;
  /** The build IDs this query serves; empty for a plain window query. */
  builds: string[];
}

export interface Span {
  startMs: number;
  endMs: number;
}

export function sessionName(build: BuildInfo): string {
  return `AWSCodeBuild-${build.uuid}`;
}

function epochMs(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

/** The span in which a build's events can lie: start - 5 min .. end + 15 min (now, while it runs). */
export function buildSpan(build: BuildInfo, nowMs: number): Span | undefined {
  const start = epochMs(build.startTime);
  if (start === undefined) return undefined;
  const end = epochMs(build.endTime) ?? nowMs;
  return { startMs: start - BEFORE_START_MS, endMs: Math.max(start, end) + AFTER_END_MS };
}

/** Clamps a span to event history's reach and to the user's window; undefined when nothing is left. */
export function clampSpan(span: Span, nowMs: number, userWindow: { sinceMs?: number; untilMs?: number }): Span | undefined {
  const startMs = Math.max(span.startMs, nowMs - RETENTION_MS, userWindow.sinceMs ?? -Infinity);
  const endMs = Math.min(span.endMs, nowMs, userWindow.untilMs ?? Infinity);
  return startMs <= endMs ? { startMs, endMs } : undefined;
}

/** Overlapping or touching spans merged, sorted by start: one scan per merged span, not one per build. */
export function mergeSpans(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.startMs <= last.endMs) last.endMs = Math.max(last.endMs, s.endMs);
    else out.push({ ...s });
  }
  return out;
}

/** The since/until the user gave, in epoch milliseconds. */
export interface UserWindow {
  sinceMs?: number;
  untilMs?: number;
}

/** What to look up, fixed before the first call: the regions, and each build's span (or why it has none). */
export interface LookupPlan {
  regions: string[];
  nowMs: number;
  userWindow: UserWindow;
  builds: BuildInfo[];
  /** The span of every build that is looked up, by build ID. */
  spans: Map<string, Span>;
  /** Caveats known before any call, in report order. */
  warnings: string[];
}

/** The table's words for what event history cannot hold (one table of what CloudTrail cannot show). */
export const DATA_EVENTS_WARNING = EVENT_HISTORY_WARNING;

/** Why a lookup cannot be planned: no region to ask, or no build and no --since to bound the read. */
export type PlanProblem = { problem: 'no-region' } | { problem: 'unbounded' };

/**
 * The plan, or why there is none. Builds that have not started or lie outside the window and event
 * history's 90 days are left out with a warning.
 */
export function planLookup(input: { regions: string[]; partition?: string; builds: BuildInfo[]; userWindow: UserWindow; nowMs: number }): LookupPlan | PlanProblem {
  const { builds, userWindow, nowMs } = input;
  const regions = withGlobalRegion(input.regions, input.partition);
  if (regions.length === 0) return { problem: 'no-region' };
  if (builds.length === 0 && userWindow.sinceMs === undefined) return { problem: 'unbounded' };
  const warnings: string[] = [];
  if (userWindow.sinceMs !== undefined && userWindow.sinceMs < nowMs - RETENTION_MS) {
    warnings.push(`event history keeps 90 days: events before ${new Date(nowMs - RETENTION_MS).toISOString()} are not available from LookupEvents; use --source athena for older events`);
  }
  warnings.push(DATA_EVENTS_WARNING);
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
  return { regions, nowMs, userWindow, builds, spans, warnings };
}

const spanOf = (plan: LookupPlan, b: BuildInfo): Span => plan.spans.get(b.id) as Span;

/** First: every build by its session name (Username = AWSCodeBuild-<uuid>), in its own span, in every region. */
export function sessionQueries(plan: LookupPlan): LookupQuery[] {
  return plan.builds
    .filter((b) => plan.spans.has(b.id))
    .flatMap((b) => plan.regions.map((region): LookupQuery => ({ region, attribute: { key: 'Username', value: sessionName(b) }, ...spanOf(plan, b), builds: [b.id] })));
}

/** The looked-up builds that `found` (events per build ID) holds nothing for. */
export function missingBuilds(plan: LookupPlan, found: ReadonlyMap<string, number>): BuildInfo[] {
  return plan.builds.filter((b) => plan.spans.has(b.id) && !found.get(b.id));
}

/** Then, for builds still missing: the role's AssumeRole events (ResourceName = the role ARN) over their merged spans. */
export function assumeRoleQueries(plan: LookupPlan, missing: BuildInfo[], roleArn: string): LookupQuery[] {
  return mergeSpans(missing.map((b) => spanOf(plan, b))).flatMap((span) =>
    plan.regions.map((region): LookupQuery => ({ region, attribute: { key: 'ResourceName', value: roleArn }, ...span, builds: [] })),
  );
}

/** The missing builds whose span holds an AssumeRole at `timeMs`: the session it names may be theirs. */
export function buildsAt(plan: LookupPlan, missing: BuildInfo[], timeMs: number): BuildInfo[] {
  return missing.filter((b) => timeMs >= spanOf(plan, b).startMs && timeMs <= spanOf(plan, b).endMs);
}

/** The session names those AssumeRole events carried, looked up like the first queries. */
export function followQueries(plan: LookupPlan, missing: BuildInfo[], sessions: ReadonlyMap<string, Set<string>>): LookupQuery[] {
  return missing.flatMap((b) =>
    [...(sessions.get(b.id) ?? [])].sort().flatMap((session) =>
      plan.regions.map((region): LookupQuery => ({ region, attribute: { key: 'Username', value: session }, ...spanOf(plan, b), builds: [b.id] })),
    ),
  );
}

/**
 * Last: whole windows, filtered by role on our side: the merged spans of the builds still missing, or the
 * user's window when there are no builds at all.
 */
export function windowQueries(plan: LookupPlan, missing: BuildInfo[]): { spans: Span[]; queries: LookupQuery[] } {
  const { userWindow, nowMs } = plan;
  const spans: Span[] = plan.builds.length
    ? mergeSpans(missing.map((b) => spanOf(plan, b)))
    : [clampSpan({ startMs: userWindow.sinceMs as number, endMs: userWindow.untilMs ?? nowMs }, nowMs, userWindow)].filter((s): s is Span => s !== undefined);
  const queries: LookupQuery[] = [];
  for (const span of spans) {
    const covered = missing.filter((b) => spanOf(plan, b).startMs >= span.startMs && spanOf(plan, b).endMs <= span.endMs);
    for (const region of plan.regions) queries.push({ region, ...span, builds: covered.map((b) => b.id) });
  }
  return { spans, queries };
}
