// evidence.json: why each statement and action is in the policy, and everything that was not granted or not
// read. It carries ARNs, names, counts, times and event IDs; never request parameter values.
import type { Evidence, Fact } from '../model.js';
import type { Synthesis } from '../synthesis/synthesize.js';
import { stableJson } from './json.js';

export interface EvidenceExtras {
  boundaryWarnings: string[];
  trustWarnings: string[];
  verification?: { requests: number; denied: number };
  projects: string[];
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
      actions: s.actions.map((a) => {
        const facts = s.facts.filter((f) => f.action === a);
        const builds = new Set(facts.flatMap((f) => f.builds));
        const origins = [...new Set(facts.map((f) => f.origin))].sort();
        return {
          action: a,
          origin: origins.length === 1 ? origins[0] : origins,
          events: facts.reduce((n, f) => n + f.count, 0),
          builds: builds.size,
          firstSeen: facts.map((f) => f.firstSeen).filter(Boolean).sort()[0],
          lastSeen: facts.map((f) => f.lastSeen).filter(Boolean).sort().at(-1),
          regions: [...new Set(facts.flatMap((f) => f.regions))].sort(),
          sampleEventIds: [...new Set(facts.flatMap((f) => f.sampleEventIds))].sort().slice(0, 3),
          observed: facts.map(factSummary),
        };
      }),
    })),
    denied: syn.denied.map((f) => ({ action: f.action, ...factSummary(f) })),
    notGranted: syn.notGranted,
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
