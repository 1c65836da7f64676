// The LookupEvents planner (src/sources/lookup/plan.ts) as plain values: which regions, spans and queries a
// lookup makes, before any call. Spans are the build's start - 5 min to its end + 15 min (CodeBuild assumes
// the role while provisioning; events of the last calls arrive late), clamped to the 90 days event history
// keeps and to the user's window.
import { describe, expect, it } from 'vitest';
import type { BuildInfo } from '../../src/model.js';
import {
  assumeRoleQueries,
  buildsAt,
  DATA_EVENTS_WARNING,
  followQueries,
  missingBuilds,
  planLookup,
  sessionQueries,
  windowQueries,
  type LookupPlan,
} from '../../src/sources/lookup/plan.js';
import { globalRegion, withGlobalRegion } from '../../src/sources/regions.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const MIN = 60_000;
const HOUR = 3600e3;
const DAY = 86_400e3;

function build(n: number, startMs: number | undefined, endMs?: number): BuildInfo {
  const uuid = `${String(n).repeat(8)}-1111-4111-8111-111111111111`;
  return {
    id: `demo:${uuid}`,
    projectName: 'demo',
    uuid,
    startTime: startMs === undefined ? undefined : new Date(startMs).toISOString(),
    endTime: endMs === undefined ? undefined : new Date(endMs).toISOString(),
    status: 'SUCCEEDED',
    region: 'eu-west-1',
  } as BuildInfo;
}

function plan(builds: BuildInfo[], userWindow: { sinceMs?: number; untilMs?: number } = {}, regions = ['eu-west-1'], partition?: string): LookupPlan {
  const p = planLookup({ regions, partition, builds, userWindow, nowMs: NOW });
  if ('problem' in p) throw new Error(p.problem);
  return p;
}

describe('regions', () => {
  it('adds the partition\'s global-events region, sorted and unique', () => {
    expect(globalRegion(undefined)).toBe('us-east-1');
    expect(globalRegion('aws-cn')).toBe('cn-north-1');
    expect(globalRegion('aws-us-gov')).toBe('us-gov-west-1');
    expect(withGlobalRegion(['eu-west-1', 'ap-south-1', 'eu-west-1'], 'aws')).toEqual(['ap-south-1', 'eu-west-1', 'us-east-1']);
    expect(plan([build(1, NOW - HOUR, NOW - HOUR + 10 * MIN)], {}, ['cn-northwest-1'], 'aws-cn').regions).toEqual(['cn-north-1', 'cn-northwest-1']);
  });
});

describe('planLookup', () => {
  it('refuses to read the whole account when neither builds nor --since bound it', () => {
    expect(planLookup({ regions: ['eu-west-1'], builds: [], userWindow: {}, nowMs: NOW })).toEqual({ problem: 'unbounded' });
  });

  it('spans builds from 5 minutes before their start to 15 minutes after their end, and leaves out what cannot be looked up', () => {
    const done = build(1, NOW - 2 * HOUR, NOW - 2 * HOUR + 10 * MIN);
    const running = build(2, NOW - 10 * MIN);
    const notStarted = build(3, undefined);
    const tooOld = build(4, NOW - 100 * DAY, NOW - 100 * DAY + 10 * MIN);
    const p = plan([done, running, notStarted, tooOld]);
    expect(p.spans.get(done.id)).toEqual({ startMs: NOW - 2 * HOUR - 5 * MIN, endMs: NOW - 2 * HOUR + 25 * MIN });
    // A running build: until now (+15 min, clamped back to now).
    expect(p.spans.get(running.id)).toEqual({ startMs: NOW - 15 * MIN, endMs: NOW });
    expect(p.spans.has(notStarted.id)).toBe(false);
    expect(p.spans.has(tooOld.id)).toBe(false);
    expect(p.warnings).toEqual([
      DATA_EVENTS_WARNING,
      `build ${notStarted.id} has not started (no startTime); it was not looked up`,
      `build ${tooOld.id} lies outside --since/--until or before event history's 90 days; it was not looked up`,
    ]);
  });

  it('warns when --since reaches past the 90 days, before the data-events caveat', () => {
    const p = plan([], { sinceMs: NOW - 120 * DAY });
    expect(p.warnings[0]).toMatch(/^event history keeps 90 days: events before 2026-03-03T12:00:00.000Z/);
    expect(p.warnings[1]).toBe(DATA_EVENTS_WARNING);
  });

  it('clamps spans to the user window', () => {
    const b = build(1, NOW - 2 * HOUR, NOW - HOUR);
    expect(plan([b], { sinceMs: NOW - 90 * MIN, untilMs: NOW - 80 * MIN }).spans.get(b.id)).toEqual({ startMs: NOW - 90 * MIN, endMs: NOW - 80 * MIN });
  });
});

describe('queries', () => {
  const b1 = build(1, NOW - 3 * HOUR, NOW - 3 * HOUR + 10 * MIN);
  const b2 = build(2, NOW - 3 * HOUR + 5 * MIN, NOW - 3 * HOUR + 20 * MIN);
  const b3 = build(3, NOW - HOUR, NOW - HOUR + 5 * MIN);
  const p = plan([b1, b2, b3]);
  const span = (b: BuildInfo) => p.spans.get(b.id)!;

  it('first: each build by its session name, in its span, in every region', () => {
    const q = sessionQueries(p);
    expect(q).toHaveLength(3 * 2);
    expect(q[0]).toEqual({ region: 'eu-west-1', attribute: { key: 'Username', value: `AWSCodeBuild-${b1.uuid}` }, ...span(b1), builds: [b1.id] });
    expect(q[1].region).toBe('us-east-1');
  });

  it('builds that found nothing are missing', () => {
    expect(missingBuilds(p, new Map([[b2.id, 3]])).map((b) => b.id)).toEqual([b1.id, b3.id]);
  });

  it('then the role\'s AssumeRole events over the merged spans of the missing builds', () => {
    const q = assumeRoleQueries(p, [b1, b2, b3], 'arn:aws:iam::123456789012:role/r');
    // b1 and b2 overlap: one span for both, and one for b3; each in both regions.
    expect(q.map((x) => [x.region, x.startMs, x.endMs])).toEqual([
      ['eu-west-1', span(b1).startMs, span(b2).endMs],
      ['us-east-1', span(b1).startMs, span(b2).endMs],
      ['eu-west-1', span(b3).startMs, span(b3).endMs],
      ['us-east-1', span(b3).startMs, span(b3).endMs],
    ]);
    expect(q.every((x) => x.attribute?.key === 'ResourceName' && x.builds.length === 0)).toBe(true);
  });

  it('follows the session names AssumeRole carried, for the builds whose span holds it', () => {
    expect(buildsAt(p, [b1, b2, b3], span(b2).startMs + MIN).map((b) => b.id)).toEqual([b1.id, b2.id]);
    const q = followQueries(p, [b1, b3], new Map([[b1.id, new Set(['s-b', 's-a'])]]));
    expect(q.map((x) => [x.attribute?.value, x.region])).toEqual([
      ['s-a', 'eu-west-1'],
      ['s-a', 'us-east-1'],
      ['s-b', 'eu-west-1'],
      ['s-b', 'us-east-1'],
    ]);
    expect(q.every((x) => x.builds[0] === b1.id && x.startMs === span(b1).startMs)).toBe(true);
  });

  it('last: whole windows of the builds still missing, each query serving the builds it covers', () => {
    const w = windowQueries(p, [b1, b2]);
    expect(w.spans).toEqual([{ startMs: span(b1).startMs, endMs: span(b2).endMs }]);
    expect(w.queries).toEqual(['eu-west-1', 'us-east-1'].map((region) => ({ region, ...w.spans[0], builds: [b1.id, b2.id] })));
    expect(windowQueries(p, [])).toEqual({ spans: [], queries: [] });
  });

  it('without builds: the user window, up to now', () => {
    const w = windowQueries(plan([], { sinceMs: NOW - HOUR }), []);
    expect(w.spans).toEqual([{ startMs: NOW - HOUR, endMs: NOW }]);
    expect(w.queries.map((q) => q.region)).toEqual(['eu-west-1', 'us-east-1']);
  });
});
