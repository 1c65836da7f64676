// Our evaluator against @cloud-copilot/iam-simulate (AGPL, devDependency, tests only) on the condition keys
// `verify` fills from records (issue 18), with identity policies, boundaries and SCPs. Two checks:
// - every request whose keys are all known: the same decision and the same verdict per policy kind;
// - requests with keys no record can tell (unknownKeys): whenever we call the request decided, the oracle
//   gives the same allowed-or-not answer for every value of those keys, absent included.
import { describe, expect, it } from 'vitest';
import type { AuthRequest, PolicyDocument } from '../../src/model.js';
import { evaluate } from '../../src/verification/evaluator/index.js';
import { CONTEXT_KEYS, generateContextCases, type ContextCase } from '../support/oracle-context-cases.js';
import { adaptContext, oracleVerdicts, type OracleVerdicts } from '../support/oracle.js';

const SEED = 20261204;
const COUNT = 10_000;
const MIN_PER_KEY = 100;

function ours(request: AuthRequest, c: ContextCase): ReturnType<typeof evaluate> {
  return evaluate(request, { identity: c.identity, ...(c.boundary ? { boundary: c.boundary } : {}), ...(c.scp ? { scp: c.scp } : {}) });
}

function verdicts(d: ReturnType<typeof evaluate>): OracleVerdicts {
  return d.boundary ? { decision: d.decision, identity: d.identity.result, boundary: d.boundary.result } : { decision: d.decision, identity: d.identity.result };
}

/** Every assignment of the unknown keys: absent or one of its values. */
function* assignments(c: ContextCase): Generator<Record<string, string>> {
  const choices = c.unknown.map((u) => [undefined, ...u.requestValues]);
  const total = choices.reduce((n, x) => n * x.length, 1);
  for (let i = 0; i < total; i++) {
    let rest = i;
    const out: Record<string, string> = {};
    c.unknown.forEach((u, k) => {
      const v = choices[k][rest % choices[k].length];
      rest = Math.floor(rest / choices[k].length);
      if (v !== undefined) out[u.key] = v;
    });
    yield out;
  }
}

describe('evaluator agrees with iam-simulate on the request-context keys (issue 18)', () => {
  it(`on ${COUNT} generated pairs (seed ${SEED})`, async () => {
    const started = Date.now();
    const keyCounts = new Map<string, number>();
    const outcomes: Record<string, number> = { Allow: 0, ImplicitDeny: 0, ExplicitDeny: 0, undecided: 0 };
    let known = 0;
    let withUnknown = 0;
    let oracleRuns = 0;
    let tight = 0;
    const failures: unknown[] = [];
    for (const c of generateContextCases(SEED, COUNT)) {
      for (const k of c.keys) keyCounts.set(k, (keyCounts.get(k) ?? 0) + 1);
      const context = await adaptContext(c.request.context);
      if (c.unknown.length === 0) {
        known++;
        const request: AuthRequest = { ...c.request, context };
        const a = verdicts(ours(request, c));
        const b = await oracleVerdicts(request, c.identity, c.boundary, c.scp);
        oracleRuns++;
        outcomes[a.decision]++;
        if (JSON.stringify(a) !== JSON.stringify(b)) failures.push({ case: c, ours: a, oracle: b });
        continue;
      }
      withUnknown++;
      const d = ours({ ...c.request, context }, c);
      if (d.undecided) outcomes.undecided++;
      else outcomes[d.decision]++;
      const answers = new Set<boolean>();
      for (const extra of assignments(c)) {
        const request: AuthRequest = { action: c.request.action, resource: c.request.resource, context: await adaptContext({ ...c.request.context, ...extra }) };
        const b = await oracleVerdicts(request, c.identity, c.boundary, c.scp);
        oracleRuns++;
        answers.add(b.decision === 'Allow');
        // Decided means decided: every value of the unknown keys gives our answer.
        if (!d.undecided && (b.decision === 'Allow') !== (d.decision === 'Allow')) failures.push({ case: c, assigned: extra, ours: d.decision, oracle: b.decision });
      }
      if (d.undecided && answers.size === 2) tight++;
    }
    console.log(
      `context oracle: ${COUNT} pairs (${known} with known keys, ${withUnknown} with unknown keys; ${oracleRuns} oracle runs) in ${Date.now() - started} ms; ` +
        `Allow ${outcomes.Allow}, ImplicitDeny ${outcomes.ImplicitDeny}, ExplicitDeny ${outcomes.ExplicitDeny}, undecided ${outcomes.undecided} ` +
        `(of which the oracle's answer really depends on the unknown keys: ${tight}); disagreements ${failures.length}`,
    );
    console.log('key counts: ' + [...keyCounts.entries()].sort(([x], [y]) => x.localeCompare(y)).map(([k, n]) => `${k}=${n}`).join(' '));
    if (failures.length) console.log(JSON.stringify(failures.slice(0, 2), null, 2));
    expect(failures.length).toBe(0);
    // Every key the context table fills (and the oracle models) is exercised, and every outcome occurs.
    const thin = CONTEXT_KEYS.map((k) => k.key).filter((k) => (keyCounts.get(k) ?? 0) < MIN_PER_KEY);
    expect(thin).toEqual([]);
    for (const o of Object.keys(outcomes)) expect(outcomes[o], o).toBeGreaterThan(COUNT / 50);
    expect(tight).toBeGreaterThan(0);
  }, 600_000);
});

export type { PolicyDocument };
