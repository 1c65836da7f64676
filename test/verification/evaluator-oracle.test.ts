// Our evaluator against @cloud-copilot/iam-simulate (AGPL, devDependency, tests only) on a seeded set of
// generated (policy, request) pairs. Every pair compares three answers: the decision, the identity
// policies' verdict alone and the boundary's verdict alone. The classes the oracle models differently
// from IAM's documentation are not generated; test/support/oracle-cases.ts lists them and why.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuthRequest, PolicyDocument } from '../../src/model.js';
import { evaluate } from '../../src/verification/evaluator/index.js';
import { generateOracleCases, type OracleCase } from '../support/oracle-cases.js';
import { adaptContext, oracleVerdicts, type OracleVerdicts } from '../support/oracle.js';
import { CASES } from '../support/paths.js';

const SEED = 20261128;
const COUNT = 10_000;

/** Every feature the issue names must be exercised this many times at least. */
const MIN_PER_FEATURE = 40;
const FEATURES = [
  'action-all', 'action-star', 'action-question-mark', 'action-case', 'NotAction-Allow', 'NotAction-Deny',
  'resource-star', 'resource-star-suffix', 'resource-star-middle', 'resource-question-mark', 'resource-case',
  'resource-segment-wildcard', 'resource-short-arn', 'NotResource-Allow', 'NotResource-Deny', 'request-star',
  'variable-resource', 'variable-default', 'variable-escape', 'variable-condition', 'condition-key-case', 'condition-and',
  'IfExists', 'ForAllValues', 'ForAnyValue', 'single-valued-operator-on-multivalued-key', 'context-empty-set', 'boundary',
  'op:StringEquals', 'op:StringNotEquals', 'op:StringEqualsIgnoreCase', 'op:StringNotEqualsIgnoreCase', 'op:StringLike',
  'op:StringNotLike', 'op:ArnEquals', 'op:ArnLike', 'op:ArnNotEquals', 'op:ArnNotLike', 'op:Bool', 'op:Null',
  'op:NumericEquals', 'op:NumericNotEquals', 'op:NumericLessThan', 'op:NumericLessThanEquals', 'op:NumericGreaterThan',
  'op:NumericGreaterThanEquals', 'op:DateEquals', 'op:DateNotEquals', 'op:DateLessThan', 'op:DateLessThanEquals',
  'op:DateGreaterThan', 'op:DateGreaterThanEquals', 'op:IpAddress', 'op:NotIpAddress', 'op:BinaryEquals',
];

interface Pair {
  request: AuthRequest;
  identity: PolicyDocument[];
  boundary?: PolicyDocument[];
  scp?: PolicyDocument[];
}

function ours(p: Pair): OracleVerdicts {
  const d = evaluate(p.request, { identity: p.identity, ...(p.boundary ? { boundary: p.boundary } : {}), ...(p.scp ? { scp: p.scp } : {}) });
  return d.boundary
    ? { decision: d.decision, identity: d.identity.result, boundary: d.boundary.result }
    : { decision: d.decision, identity: d.identity.result };
}

async function disagrees(p: Pair): Promise<{ ours: OracleVerdicts; oracle: OracleVerdicts } | undefined> {
  const a = ours(p);
  const b = await oracleVerdicts(p.request, p.identity, p.boundary, p.scp);
  return JSON.stringify(a) === JSON.stringify(b) ? undefined : { ours: a, oracle: b };
}

/** Smaller variants of a pair: one document, statement, condition, value or context key fewer. */
function* smaller(p: Pair): Generator<Pair> {
  const clone = (): Pair => structuredClone(p);
  if (p.boundary) {
    const c = clone();
    delete c.boundary;
    yield c;
  }
  for (const side of ['identity', 'boundary'] as const) {
    const docs = p[side];
    if (!docs) continue;
    for (let d = 0; d < docs.length; d++) {
      const c = clone();
      c[side]!.splice(d, 1);
      yield c;
      for (let s = 0; s < docs[d].Statement.length; s++) {
        const c2 = clone();
        c2[side]![d].Statement.splice(s, 1);
        yield c2;
        const cond = docs[d].Statement[s].Condition;
        for (const op of Object.keys(cond ?? {})) {
          for (const key of Object.keys(cond![op])) {
            const c3 = clone();
            const block = c3[side]![d].Statement[s].Condition!;
            delete block[op][key];
            if (Object.keys(block[op]).length === 0) delete block[op];
            if (Object.keys(block).length === 0) delete c3[side]![d].Statement[s].Condition;
            yield c3;
          }
        }
        for (const el of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
          const v = docs[d].Statement[s][el];
          if (!Array.isArray(v) || v.length < 2) continue;
          for (let k = 0; k < v.length; k++) {
            const c4 = clone();
            (c4[side]![d].Statement[s][el] as string[]).splice(k, 1);
            yield c4;
          }
        }
      }
    }
  }
  for (const key of Object.keys(p.request.context)) {
    const c = clone();
    delete c.request.context[key];
    yield c;
  }
}

/** Greedy shrinking: keep taking the first smaller variant that still disagrees. */
async function shrink(p: Pair): Promise<Pair> {
  let current = p;
  for (let round = 0; round < 100; round++) {
    let next: Pair | undefined;
    for (const candidate of smaller(current)) {
      if (await disagrees(candidate)) {
        next = candidate;
        break;
      }
    }
    if (!next) break;
    current = next;
  }
  return current;
}

describe('evaluator agrees with iam-simulate', () => {
  it(`on ${COUNT} generated pairs (seed ${SEED})`, async () => {
    const started = Date.now();
    const cpuStart = process.cpuUsage();
    const outcomes: Record<string, number> = { Allow: 0, ImplicitDeny: 0, ExplicitDeny: 0 };
    const features = new Map<string, number>();
    const failures: Array<{ pair: Pair; ours: OracleVerdicts; oracle: OracleVerdicts }> = [];
    let oursMs = 0;
    for (const c of generateOracleCases(SEED, COUNT) as Iterable<OracleCase>) {
      const pair: Pair = { request: { ...c.request, context: await adaptContext(c.request.context) }, identity: c.identity };
      if (c.boundary) pair.boundary = c.boundary;
      const t = process.cpuUsage();
      const a = ours(pair);
      oursMs += process.cpuUsage(t).user / 1000;
      const b = await oracleVerdicts(pair.request, pair.identity, pair.boundary);
      outcomes[b.decision]++;
      for (const f of c.features) features.set(f, (features.get(f) ?? 0) + 1);
      if (JSON.stringify(a) !== JSON.stringify(b)) failures.push({ pair, ours: a, oracle: b });
    }
    const share = (n: number): string => `${((100 * n) / COUNT).toFixed(1)}%`;
    console.log(
      `oracle agreement: ${COUNT} pairs in ${Date.now() - started} ms, ${(process.cpuUsage(cpuStart).user / 1000).toFixed(0)} ms CPU ` +
        `(our evaluator ${oursMs.toFixed(0)} ms CPU, compiling every policy afresh); ` +
        `Allow ${outcomes.Allow} (${share(outcomes.Allow)}), ImplicitDeny ${outcomes.ImplicitDeny} (${share(outcomes.ImplicitDeny)}), ` +
        `ExplicitDeny ${outcomes.ExplicitDeny} (${share(outcomes.ExplicitDeny)}); disagreements ${failures.length}`,
    );
    console.log(
      'feature counts: ' +
        [...features.entries()].sort(([x], [y]) => x.localeCompare(y)).map(([f, n]) => `${f}=${n}`).join(' '),
    );

    if (failures.length > 0) {
      const size = (p: Pair): number => JSON.stringify(p).length;
      const smallest = failures.reduce((x, y) => (size(y.pair) < size(x.pair) ? y : x));
      const shrunk = await shrink(smallest.pair);
      const verdicts = await disagrees(shrunk);
      console.log(`smallest disagreement (shrunk):\n${JSON.stringify({ ...shrunk, ...verdicts }, null, 2)}`);
    }
    expect(failures.length).toBe(0);

    // A useful sample: plenty of each outcome, and every feature exercised.
    expect(outcomes.Allow / COUNT).toBeGreaterThan(0.2);
    expect(outcomes.ImplicitDeny / COUNT).toBeGreaterThan(0.2);
    expect(outcomes.ExplicitDeny / COUNT).toBeGreaterThan(0.1);
    const thin = FEATURES.filter((f) => (features.get(f) ?? 0) < MIN_PER_FEATURE);
    expect(thin).toEqual([]);
  }, 240_000);

  // The golden cases are checked by the oracle too, except those whose file says why the oracle differs
  // (each such note must stay true: the oracle really does answer differently there).
  it('on the golden cases, except the documented differences', async () => {
    const dir = join(CASES, 'evaluator');
    let agreed = 0;
    const differs: string[] = [];
    const undecidable: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const c = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Pair & {
        policies: { identity: PolicyDocument[]; boundary?: PolicyDocument[]; scp?: PolicyDocument[] };
        expected: { error?: string };
        oracleDiffers?: string;
      };
      if (c.expected.error !== undefined) continue;
      // The oracle has no notion of keys a request cannot tell: those cases have their own oracle test
      // (test/verification/evaluator-context-oracle.test.ts), which checks every decided answer for all their values.
      if (c.request.unknownKeys?.length) {
        undecidable.push(file);
        continue;
      }
      const pair: Pair = { request: { ...c.request, context: await adaptContext(c.request.context) }, identity: c.policies.identity };
      if (c.policies.boundary) pair.boundary = c.policies.boundary;
      if (c.policies.scp) pair.scp = c.policies.scp;
      const verdicts = await disagrees(pair);
      if (c.oracleDiffers) {
        expect(verdicts, `${file} says the oracle differs (${c.oracleDiffers}) but it agrees`).toBeDefined();
        differs.push(file);
      } else {
        expect(verdicts, `${file}: ${JSON.stringify(verdicts)}`).toBeUndefined();
        agreed++;
      }
    }
    console.log(`golden cases: ${agreed} agree with iam-simulate; documented differences: ${differs.join(', ')}; with unknown keys: ${undecidable.length}`);
    expect(agreed).toBeGreaterThan(90);
  }, 60_000);
});
