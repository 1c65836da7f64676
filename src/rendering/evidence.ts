// evidence.json: why each statement and action is in the policy, and everything that was not granted or not
// read. It carries ARNs, names, counts, times and event IDs; never request parameter values.
import type { Evidence, Fact } from '../model.js';
import { addSample } from '../sample-ids.js';
import type { Synthesis } from '../synthesis/synthesize.js';
import { stableJson } from './json.js';

export interface EvidenceExtras {
  boundaryWarnings: string[];
  trustWarnings: string[];
  verification?: { requests: number; denied: number };
  projects: string[];
  /** What the safety gate refused; in written output only with --allow-broad. */
  broad?: string[];
}

function factSummary(f: Fact): Record<string, unknown> {
  return {
    resource: f.resource,
    origin: f.origin,
    ...(f.because ? { because: f.because } : {}),
    ...(Object.keys(f.context).length ? { context: f.context } : {}),
    outcome: f.outcome,
    events: f.count,
    builds: f.builds.length,
    firstSeen: f.firstSeen || undefined,
    lastSeen: f.lastSeen || undefined,
    regions: f.regions,
    sampleEventIds: f.sampleEventIds,
  };
}

// One pass over an action's facts: a statement of per-build resources has tens of thousands of them, and
// sorting every time and event ID to find the first, last and smallest dominated rendering at 5M records.
function actionSummary(action: string, facts: Fact[]): Record<string, unknown> {
  const builds = new Set<string>();
  const origins = new Set<string>();
  const regions = new Set<string>();
  let events = 0;
  let firstSeen: string | undefined;
  let lastSeen: string | undefined;
  const samples: string[] = [];
  for (const f of facts) {
    for (const b of f.builds) builds.add(b);
    for (const r of f.regions) regions.add(r);
    origins.add(f.origin);
    events += f.count;
    if (f.firstSeen && (firstSeen === undefined || f.firstSeen < firstSeen)) firstSeen = f.firstSeen;
    if (f.lastSeen && (lastSeen === undefined || f.lastSeen > lastSeen)) lastSeen = f.lastSeen;
    for (const id of f.sampleEventIds) addSample(samples, id);
  }
  const originList = [...origins].sort();
  return {
    action,
    origin: originList.length === 1 ? originList[0] : originList,
    events,
    builds: builds.size,
    firstSeen,
    lastSeen,
    regions: [...regions].sort(),
    sampleEventIds: samples,
    observed: facts.map(factSummary),
  };
}

export function renderEvidence(ev: Evidence, syn: Synthesis, extras: EvidenceExtras): string {
  const skippedTotal = Object.values(ev.read.skipped).reduce((a, b) => a + (b ?? 0), 0);
  return stableJson({
    role: ev.role,
    window: ev.window,
    summary: {
      statements: syn.statements.length,
      actions: new Set(syn.statements.flatMap((s) => s.actions)).size,
      builds: ev.builds.length,
      accounts: ev.accounts,
      regions: ev.regions,
      policyDocuments: syn.policies.length,
      policySizes: syn.sizes,
    },
    statements: syn.statements.map((s) => ({
      sid: s.sid,
      actions: s.actions.map((a) => actionSummary(a, s.facts.filter((f) => f.action === a))),
    })),
    denied: syn.denied.map((f) => ({ action: f.action, ...factSummary(f) })),
    ...(syn.minBuilds !== undefined ? { minBuilds: syn.minBuilds } : {}),
    notProven: syn.unproven.map((f) => ({ action: f.action, error: f.error ?? 'unknown', ...factSummary(f) })),
    notGranted: syn.notGranted,
    ...(extras.broad?.length ? { broad: extras.broad } : {}),
    generalized: syn.generalized,
    unobserved: ev.unobserved,
    untranslatable: ev.untranslatable,
    ignored: ev.ignored,
    refused: ev.refused,
    unknownResource: syn.unknownResource.map((f) => ({ action: f.action, resource: f.resource, events: f.count })),
    projects: extras.projects,
    scanned: ev.scanned,
    verification: extras.verification,
    warnings: [...ev.warnings, ...extras.boundaryWarnings, ...extras.trustWarnings],
    read: { ...ev.read, skippedTotal, identity: `read ${ev.read.records} = matched ${ev.read.matched} + skipped ${skippedTotal}` },
  });
}
