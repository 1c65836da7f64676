// CloudTrail delivers events about 5 minutes after the call, not guaranteed; 15 minutes is the usual safe wait.
// A build that is running or finished less than that ago may not have all its events in event history yet:
// warn, or with --wait, wait for it to finish and for delivery, then query.
import type { BuildInfo } from '../model.js';
import type { Clock } from '../sources/rate-limit.js';
import { getBuilds, toBuildInfo, type CodeBuildApi } from './builds.js';

export const DELIVERY_DELAY_MS = 15 * 60_000;
export const POLL_MS = 30_000;

/** The time after which all of a build's events should be in event history; undefined while it runs. */
export function settledAt(build: BuildInfo): number | undefined {
  if (build.status === 'IN_PROGRESS' || build.endTime === undefined) return undefined;
  return Date.parse(build.endTime) + DELIVERY_DELAY_MS;
}

export function freshnessWarnings(builds: BuildInfo[], nowMs: number): string[] {
  const out: string[] = [];
  for (const b of builds) {
    const settled = settledAt(b);
    if (settled === undefined) out.push(`build ${b.id} is still running: its events so far may be incomplete; rerun after it ends, or pass --wait`);
    else if (settled > nowMs) {
      const mins = Math.ceil((settled - nowMs) / 60_000);
      out.push(`build ${b.id} finished less than 15 minutes ago: CloudTrail may not have delivered all its events yet; rerun in ${mins} min, or pass --wait`);
    }
  }
  return out;
}

export interface WaitOptions {
  client: CodeBuildApi;
  region: string;
  clock: Clock;
  signal?: AbortSignal;
  progress?: (line: string) => void;
  pollMs?: number;
}

/** Waits until every build has ended (polling BatchGetBuilds) and its events should have arrived. */
export async function waitForDelivery(builds: BuildInfo[], o: WaitOptions): Promise<BuildInfo[]> {
  let current = builds;
  for (;;) {
    const running = current.filter((b) => settledAt(b) === undefined);
    if (running.length === 0) break;
    o.progress?.(`waiting for ${running.length} running build(s) to end: ${running.map((b) => b.id).join(', ')}`);
    await o.clock.sleep(o.pollMs ?? POLL_MS, o.signal);
    const got = await getBuilds(o.client, running.map((b) => b.id), o.region, o.signal);
    const fresh = new Map(got.builds.map((b) => [b.id as string, toBuildInfo(b, o.region) as BuildInfo]));
    current = current.map((b) => fresh.get(b.id) ?? b);
  }
  const until = Math.max(...current.map((b) => settledAt(b) as number));
  const wait = until - o.clock.now();
  if (wait > 0) {
    o.progress?.(`waiting ${Math.ceil(wait / 60_000)} min for CloudTrail to deliver the builds' events (until ${new Date(until).toISOString()})`);
    await o.clock.sleep(wait, o.signal);
  }
  return current;
}
