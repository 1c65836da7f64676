// The pipeline after the source: evidence -> synthesis -> boundary and trust -> safety gate -> rendered files.
// Every stage takes and returns plain values; verification plugs in through `verify`.
import type { Evidence, Fact, PolicyDocument } from './model.js';
import { addUnloggedNeeds } from './translation/unlogged.js';
import { generalizeUnobserved } from './synthesis/unobserved.js';
import { buildBoundary } from './synthesis/boundary.js';
import { checkSafety, type SafetyProblem } from './synthesis/safety.js';
import { synthesize, type Synthesis, type SynthesisOptions } from './synthesis/synthesize.js';
import { buildTrust, projectsFromLogGroups, trustGaps } from './synthesis/trust.js';
import { renderEvidence } from './rendering/evidence.js';
import { renderReport } from './rendering/report.js';
import { renderHtml } from './rendering/html/render.js';
import { buildHtmlView } from './rendering/html/view.js';

export interface PipelineOptions extends SynthesisOptions {
  boundaryScope: 'services' | 'actions';
  /** Facts inferred from project configuration (origin "inferred"); empty with --no-infer. */
  inferred: Fact[];
  /** Project ARNs known from --project/--project-file. */
  projectArns: string[];
  /** The role's current trust policy, when known: the report says what it lacks. */
  currentTrust?: PolicyDocument;
  /** Replays observed requests against the documents; returns the number replayed and denied. */
  verify?: (evidence: Evidence, policies: PolicyDocument[], boundary: PolicyDocument) => { requests: number; denied: number; details: string[] };
  /** Told how long each stage took (`--debug` prints it). */
  timing?: (stage: string, ms: number) => void;
}

export interface PipelineResult {
  evidence: Evidence;
  synthesis: Synthesis;
  boundary: PolicyDocument;
  trust: PolicyDocument;
  safety: SafetyProblem[];
  verification?: { requests: number; denied: number; details: string[] };
  files: Record<string, string>;
}

export function runPipeline(observed: Evidence, opts: PipelineOptions): PipelineResult {
  let mark = performance.now();
  const lap = (stage: string): void => {
    const now = performance.now();
    opts.timing?.(stage, now - mark);
    mark = now;
  };
  const withUnlogged = addUnloggedNeeds(observed);
  const evidence: Evidence = {
    ...withUnlogged,
    unobserved: opts.resources === 'exact' ? withUnlogged.unobserved : generalizeUnobserved(withUnlogged),
    facts: [...observed.facts, ...opts.inferred],
  };
  lap('unlogged needs');
  const synthesis = synthesize(evidence, opts);
  lap('synthesis');
  const statements = synthesis.statements.map((s) => ({ actions: s.actions, resources: s.resources }));
  const passedRoles = synthesis.statements.flatMap((s) => (s.actions.includes('iam:PassRole') ? s.resources : []));
  const boundary = buildBoundary({ statements, passedRoles, regions: evidence.regions, scope: opts.boundaryScope });
  const projectArns = opts.projectArns.length ? opts.projectArns : projectsFromLogGroups(evidence.facts.map((f) => f.resource));
  const trust = buildTrust({ accounts: evidence.accounts, partition: evidence.partition, projectArns, regions: evidence.regions });
  if (opts.currentTrust) {
    for (const gap of trustGaps(opts.currentTrust)) trust.warnings.push(`the current trust policy: ${gap}`);
  }
  lap('boundary and trust');
  const safety = checkSafety(synthesis.policies, evidence.facts);
  lap('safety');
  const verification = opts.verify?.(evidence, synthesis.policies, boundary.document);
  lap('verification');
  const extras = {
    boundaryWarnings: boundary.warnings,
    trustWarnings: trust.warnings,
    verification: verification && { requests: verification.requests, denied: verification.denied },
    projects: projectArns,
  };
  const files: Record<string, string> = {};
  synthesis.policies.forEach((p, i) => {
    files[i === 0 ? 'policy.json' : `policy-${i + 1}.json`] = `${JSON.stringify(p, null, 2)}\n`;
  });
  files['boundary.json'] = `${JSON.stringify(boundary.document, null, 2)}\n`;
  files['trust.json'] = `${JSON.stringify(trust.document, null, 2)}\n`;
  files['evidence.json'] = renderEvidence(evidence, synthesis, extras);
  lap('evidence.json');
  files['report.md'] = renderReport(evidence, synthesis, extras, boundary.document, trust.document);
  lap('report.md');
  files['report.html'] = renderHtml(buildHtmlView({ evidence, synthesis, extras, boundary: boundary.document, trust: trust.document }));
  lap('report.html');
  return { evidence, synthesis, boundary: boundary.document, trust: trust.document, safety, verification, files };
}
