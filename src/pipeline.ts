// The pipeline after the source: evidence -> synthesis -> boundary and trust -> safety gate -> rendered files.
// Every stage takes and returns plain values; verification plugs in through `verify`.
import { parseArn } from './iam/arn.js';
import { policyFileName } from './iam/document-names.js';
import type { Evidence, Fact, PolicyDocument } from './model.js';
import { withoutImplied } from './translation/implied.js';
import { addUnloggedNeeds } from './translation/unlogged.js';
import { generalizeUnobserved } from './synthesis/unobserved.js';
import { buildBoundary } from './synthesis/boundary.js';
import { resourceOwners } from './synthesis/data-perimeter.js';
import { addResourceConditions, unresolvedWarnings } from './synthesis/resource-conditions.js';
import { checkSafety, type SafetyProblem } from './synthesis/safety.js';
import { synthesize, type Synthesis, type SynthesisOptions } from './synthesis/synthesize.js';
import { buildTrust, projectsFromLogGroups, trustAccounts, trustGaps } from './synthesis/trust.js';
import { renderEvidence } from './rendering/evidence.js';
import { stableJson } from './rendering/json.js';
import { renderReport, type ReportExtras } from './rendering/report.js';
import { renderHtml } from './rendering/html/render.js';
import { buildHtmlView } from './rendering/html/view.js';

export interface PipelineOptions extends SynthesisOptions {
  boundaryScope: 'services' | 'actions';
  /** Facts inferred from project configuration (origin "inferred"); empty with --no-infer. */
  inferred: Fact[];
  /** false (--no-infer): leave out the needs implied by observed calls (origin "implied"). Default true. */
  implied?: boolean;
  /** Project ARNs known from --project/--project-file. */
  projectArns: string[];
  /** The role's current trust policy, when known: the report says what it lacks. */
  currentTrust?: PolicyDocument;
  /** Replays observed requests against the documents; returns the number replayed and denied. */
  verify?: (evidence: Evidence, policies: PolicyDocument[], boundary: PolicyDocument) => { requests: number; events?: number; denied: number; details: string[] };
  /** Told how long each stage took (`--debug` prints it). */
  timing?: (stage: string, ms: number) => void;
}

export interface PipelineResult {
  evidence: Evidence;
  synthesis: Synthesis;
  boundary: PolicyDocument;
  trust: PolicyDocument;
  safety: SafetyProblem[];
  verification?: { requests: number; events?: number; denied: number; details: string[] };
  /** Every warning: the evidence's, the boundary's and the trust policy's. */
  warnings: string[];
  files: Record<string, string>;
}

export function runPipeline(observed: Evidence, opts: PipelineOptions): PipelineResult {
  let mark = performance.now();
  const lap = (stage: string): void => {
    const now = performance.now();
    opts.timing?.(stage, now - mark);
    mark = now;
  };
  const base = opts.implied === false ? withoutImplied(observed) : observed;
  const withUnlogged = addUnloggedNeeds(base);
  // Observed calls take the conditions their resource implies (an ENI's subnet), so no observed grant is
  // looser than the inferred one for the same need.
  const conditioned = addResourceConditions([...base.facts, ...opts.inferred]);
  const evidence: Evidence = {
    ...withUnlogged,
    unobserved: opts.resources === 'exact' ? withUnlogged.unobserved : generalizeUnobserved(withUnlogged),
    facts: conditioned.facts,
    warnings: [...withUnlogged.warnings, ...unresolvedWarnings(conditioned.unresolved)],
  };
  lap('unlogged needs');
  const synthesis = synthesize(evidence, opts);
  lap('synthesis');
  const statements = synthesis.statements.map((s) => ({ actions: s.actions, resources: s.resources }));
  const passedRoles = synthesis.statements.flatMap((s) => (s.actions.includes('iam:PassRole') ? s.resources : []));
  const boundary = buildBoundary({ statements, passedRoles, regions: evidence.regions, scope: opts.boundaryScope, owners: resourceOwners(evidence.facts) });
  const roleAccounts = trustAccounts(evidence.roles ?? [], [], evidence.accounts);
  // Log groups named for a project are read as projects only in the role's own account(s).
  const projectArns = opts.projectArns.length
    ? opts.projectArns
    : projectsFromLogGroups(evidence.facts.map((f) => f.resource)).filter((a) => roleAccounts.includes(parseArn(a)?.account ?? ''));
  const accounts = trustAccounts(evidence.roles ?? [], projectArns, evidence.accounts);
  const trust = buildTrust({ accounts, partition: evidence.partition, projectArns, regions: evidence.regions });
  if (opts.currentTrust) {
    for (const gap of trustGaps(opts.currentTrust)) trust.warnings.push(`the current trust policy: ${gap}`);
  }
  lap('boundary and trust');
  const safety = checkSafety(synthesis.policies, evidence.facts, synthesis.justifiedPatterns);
  lap('safety');
  // What --min-builds dropped was deliberately not granted: the self-check does not replay it.
  const dropped = new Set(synthesis.notGranted.flatMap((n) => n.observed.map((r) => `${n.action}\u0000${r}`)));
  const replayed = dropped.size ? { ...evidence, facts: evidence.facts.filter((f) => !dropped.has(`${f.action}\u0000${f.resource}`)) } : evidence;
  const verification = opts.verify?.(replayed, synthesis.policies, boundary.document);
  lap('verification');
  const extras = {
    boundaryWarnings: boundary.warnings,
    trustWarnings: trust.warnings,
    verification: verification && { requests: verification.requests, denied: verification.denied },
    projects: projectArns,
    broad: safety.map((p) => `${p.sid ?? 'a statement'} ${p.problem}`),
  };
  // The report also says what the user chose; a safety problem reaches a written report only with --allow-broad.
  const reportExtras: ReportExtras = {
    ...extras,
    verification: verification && { requests: verification.requests, denied: verification.denied, ...(verification.events !== undefined ? { events: verification.events } : {}) },
    choices: {
      resources: opts.resources,
      ...(opts.minBuilds !== undefined ? { minBuilds: opts.minBuilds } : {}),
      projectConfig: opts.inferred.length > 0,
      allowBroad: safety.map((p) => `${p.sid ?? 'a statement'} ${p.problem}`),
    },
  };
  const files: Record<string, string> = {};
  synthesis.policies.forEach((p, i) => {
    files[policyFileName(i)] = stableJson(p);
  });
  files['boundary.json'] = stableJson(boundary.document);
  files['trust.json'] = stableJson(trust.document);
  files['evidence.json'] = renderEvidence(evidence, synthesis, extras);
  lap('evidence.json');
  files['report.md'] = renderReport(evidence, synthesis, reportExtras, boundary.document, trust.document);
  lap('report.md');
  files['report.html'] = renderHtml(buildHtmlView({ evidence, synthesis, extras: reportExtras, boundary: boundary.document, trust: trust.document }));
  lap('report.html');
  return { evidence, synthesis, boundary: boundary.document, trust: trust.document, safety, verification, warnings: [...evidence.warnings, ...boundary.warnings, ...trust.warnings], files };
}
