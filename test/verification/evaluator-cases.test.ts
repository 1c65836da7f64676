// Golden cases for the evaluator: one JSON file per behaviour in test/cases/evaluator.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../src/errors.js';
import type { AuthRequest, PolicyDocument } from '../../src/model.js';
import { evaluate, explainDecision, type Verdict } from '../../src/verification/evaluator/index.js';
import { CASES } from '../support/paths.js';

interface ExpectedVerdict {
  result: Verdict['result'];
  allowedBy?: Verdict['allowedBy'];
  deniedBy?: Verdict['deniedBy'];
}

interface GoldenCase {
  description: string;
  request: AuthRequest;
  policies: { identity: PolicyDocument[]; boundary?: PolicyDocument[]; scp?: PolicyDocument[] };
  expected: {
    decision?: string;
    identity?: ExpectedVerdict;
    boundary?: ExpectedVerdict;
    scp?: ExpectedVerdict;
    /** The keys that leave the decision open (request.unknownKeys); absent: the decision is decided. */
    undecided?: { keys: string[] };
    explain?: string;
    error?: string;
  };
}

const dir = join(CASES, 'evaluator');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('evaluator golden cases', () => {
  it('has cases', () => expect(files.length).toBeGreaterThan(100));

  for (const file of files) {
    const c = JSON.parse(readFileSync(join(dir, file), 'utf8')) as GoldenCase;
    it(`${file}: ${c.description}`, () => {
      const run = () => evaluate(c.request, c.policies);
      if (c.expected.error !== undefined) {
        expect(run).toThrow(InvalidInput);
        expect(run).toThrow(c.expected.error);
        return;
      }
      const d = run();
      expect(d.decision).toBe(c.expected.decision);
      expect(d.undecided?.keys).toEqual(c.expected.undecided?.keys);
      for (const side of ['identity', 'boundary', 'scp'] as const) {
        const want = c.expected[side];
        if (!want) continue;
        const got = d[side];
        expect(got?.result).toBe(want.result);
        if (want.allowedBy) expect(got?.allowedBy).toEqual(want.allowedBy);
        if (want.deniedBy) expect(got?.deniedBy).toEqual(want.deniedBy);
      }
      if (c.policies.boundary === undefined || c.policies.boundary.length === 0) expect(d.boundary).toBeUndefined();
      if (c.expected.explain) expect(explainDecision(d)).toContain(c.expected.explain);
    });
  }
});
