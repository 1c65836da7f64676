// The condition operator table against an independent one: iam-simulate keeps one small object per IAM
// condition operator (name, isNegative, matches). Every operator it knows must be ours with the same negation,
// and our Numeric/Date comparisons must agree with its matches on a grid of values. Null it handles apart.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OPERATOR_NAMES, parseOperator } from '../../src/verification/evaluator/operators.js';
import { parseDate, parseNumber } from '../../src/verification/evaluator/values.js';

interface TheirOperator {
  name: string;
  isNegative: boolean;
  matches(request: unknown, keyValue: string, policyValues: string[]): { matches: boolean };
}

const CONDITION_DIR = join(dirname(createRequire(import.meta.url).resolve('@cloud-copilot/iam-simulate')), 'condition');

async function theirOperators(): Promise<TheirOperator[]> {
  const out: TheirOperator[] = [];
  for (const dir of readdirSync(CONDITION_DIR, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const file of readdirSync(join(CONDITION_DIR, dir.name)).filter((f) => /^[A-Z]\w*\.js$/.test(f))) {
      const mod = (await import(pathToFileURL(join(CONDITION_DIR, dir.name, file)).href)) as Record<string, TheirOperator>;
      out.push(mod[file.slice(0, -3)]);
    }
  }
  return out;
}

describe('condition operators', () => {
  it('are the operators iam-simulate knows, with the same negation, plus Null', async () => {
    const theirs = await theirOperators();
    expect(theirs.length).toBeGreaterThan(20);
    expect([...OPERATOR_NAMES].sort()).toEqual([...theirs.map((t) => t.name), 'Null'].sort());
    for (const t of theirs) expect(parseOperator(t.name)?.base.negated, t.name).toBe(t.isNegative);
  });

  it('compare numbers and dates as iam-simulate does', async () => {
    const grid: Record<'Numeric' | 'Date', string[]> = {
      Numeric: ['-1', '0', '2', '2.5', '10'],
      Date: ['2020-01-01T00:00:00Z', '2024-06-30T12:00:00Z', '2024-06-30T12:00:01Z'],
    };
    const theirs = (await theirOperators()).filter((t) => /^(Numeric|Date)/.test(t.name));
    expect(theirs).toHaveLength(12);
    for (const t of theirs) {
      const family = t.name.startsWith('Date') ? 'Date' : 'Numeric';
      const base = parseOperator(t.name)!.base;
      const parse = family === 'Date' ? parseDate : parseNumber;
      for (const request of grid[family]) {
        for (const policy of grid[family]) {
          const ours = base.compare!(parse(request)!, parse(policy)!) !== base.negated;
          expect(ours, `${t.name} request ${request} policy ${policy}`).toBe(t.matches({}, request, [policy]).matches);
        }
      }
    }
  });
});
