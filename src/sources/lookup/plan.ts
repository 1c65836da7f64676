// Which LookupEvents queries to make. Event history takes one lookup attribute and one region per call, so a
// build becomes one query per region, narrowed by its session name and its time window; only when that
// finds nothing do we read whole windows and filter on our side.
import type { BuildInfo } from '../../model.js';

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

/** Where the global services (IAM, STS global endpoint, CloudFront) log their events. */
export function globalRegion(partition: string | undefined): string {
  if (partition === 'aws-cn') return 'cn-north-1';
  if (partition === 'aws-us-gov') return 'us-gov-west-1';
  return 'us-east-1';
}

/** The regions to query: those given plus the partition's global-events region, sorted and unique. */
export function queryRegions(regions: string[], partition: string | undefined): string[] {
  return [...new Set([...regions, globalRegion(partition)])].sort();
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
