// The semantic diff: what the current documents allow, what the proposal allows, what changed and whether
// anything widens.
import type { PolicyDocument } from '../model.js';
import { loadActionUniverse, serviceOf } from './action-universe.js';
import { computeAllowance, type Allowance, type DocumentSet } from './allowance.js';
import { compareAllowances } from './compare.js';
import type { DiffReport } from './report.js';
import { textDiff } from './text-diff.js';
import { compareTrust } from './trust.js';
import { classifyUsage, type UsageEvidence } from './usage.js';

export interface DiffInput {
  current: DocumentSet;
  proposed: DocumentSet;
  /** For the report: a role ARN or file names. */
  currentSource: string;
  proposedSource: string;
  evidence?: UsageEvidence;
}

function allDocs(set: DocumentSet): PolicyDocument[] {
  return [...set.identity.map((d) => d.document), ...(set.boundary ? [set.boundary.document] : [])];
}

function size(a: Allowance): { actions: number; services: number } {
  return { actions: a.size, services: new Set([...a.keys()].map(serviceOf)).size };
}

/**
 * Compares `input.current` with `input.proposed`. A proposal without a boundary keeps the current one (the
 * boundary stays attached to the role); trust policies are compared only when both sides have one.
 */
export async function diffDocuments(input: DiffInput): Promise<DiffReport> {
  const proposedSet: DocumentSet = input.proposed.boundary || !input.current.boundary ? input.proposed : { ...input.proposed, boundary: input.current.boundary };
  const extra = input.evidence ? [...input.evidence.facts.map((f) => f.action), ...input.evidence.unobserved.map((u) => u.action)] : [];
  const universe = await loadActionUniverse([...allDocs(input.current), ...allDocs(proposedSet)], extra);
  const current = computeAllowance(universe, input.current);
  const proposed = computeAllowance(universe, proposedSet);
  const { services, widening } = compareAllowances(current, proposed);
  const bothTrust = input.current.trust && proposedSet.trust;
  const trust = bothTrust ? compareTrust(input.current.trust!, proposedSet.trust!) : undefined;

  const sum = (f: (s: (typeof services)[number]) => number): number => services.reduce((n, s) => n + f(s), 0);
  const summary = {
    actionsRemoved: sum((s) => s.removed.length),
    actionsAdded: sum((s) => s.added.length),
    actionsKept: sum((s) => s.kept.length),
    servicesRemoved: services.filter((s) => s.removed.length && !s.kept.length && !s.added.length).length,
    servicesAdded: services.filter((s) => s.added.length && !s.kept.length && !s.removed.length).length,
    resourcesWidened: sum((s) => s.resourcesWidened.length),
    resourcesNarrowed: sum((s) => s.resourcesNarrowed.length),
    conditionsAdded: sum((s) => s.conditionsAdded.reduce((n, c) => n + c.actions.length, 0)),
    conditionsRemoved: sum((s) => s.conditionsRemoved.reduce((n, c) => n + c.actions.length, 0)),
  };
  const widens = widening.length > 0 || (trust?.widened.length ?? 0) > 0;
  const changed =
    summary.actionsRemoved + summary.resourcesNarrowed + summary.conditionsAdded + summary.conditionsRemoved + (trust?.narrowed.length ?? 0) > 0;

  // Trust goes into the text diff only when both sides have one, so a missing side is not shown as a removal.
  const textSet = (s: DocumentSet): DocumentSet => (bothTrust ? s : { ...s, trust: undefined });
  return {
    schema: 'codebuild-iam/diff@1',
    verdict: widens ? 'widens' : changed ? 'narrows' : 'unchanged',
    current: { source: input.currentSource, ...size(current), boundary: !!input.current.boundary },
    proposed: { source: input.proposedSource, ...size(proposed), boundary: !!proposedSet.boundary },
    summary,
    widening,
    services,
    ...(input.evidence ? { usage: classifyUsage(input.evidence, universe, current, proposed) } : {}),
    ...(trust ? { trust } : {}),
    textDiff: textDiff(textSet(input.current), textSet(proposedSet)),
  };
}
