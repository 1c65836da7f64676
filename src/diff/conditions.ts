// Condition blocks as sorted entries, and whether one set of conditions is at least as strict as another.
import type { ConditionBlock } from '../model.js';
import { resourceCovers } from '../iam/glob.js';

/** One operator/key pair of a Condition block, e.g. StringEquals aws:SourceAccount [123456789012]. */
export interface ConditionEntry {
  operator: string;
  key: string;
  values: string[];
}

export function conditionEntries(block: ConditionBlock | undefined): ConditionEntry[] {
  const out: ConditionEntry[] = [];
  for (const [operator, keys] of Object.entries(block ?? {})) {
    for (const [key, raw] of Object.entries(keys ?? {})) {
      const list = Array.isArray(raw) ? raw : [raw];
      out.push({ operator, key, values: [...new Set(list.map((v) => String(v)))].sort() });
    }
  }
  return sortEntries(out);
}

export function conditionText(e: ConditionEntry): string {
  return `${e.operator} ${e.key} ${e.values.length === 1 ? e.values[0] : `[${e.values.join(', ')}]`}`;
}

export function sortEntries(list: ConditionEntry[]): ConditionEntry[] {
  const seen = new Map<string, ConditionEntry>();
  for (const e of list) seen.set(conditionText(e), e);
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
}

const base = (op: string): string => op.replace(/^(ForAllValues|ForAnyValue):/i, '').replace(/IfExists$/i, '');

/** Whether the strict entry `p` only lets through requests that `c` lets through. */
function entryImplies(p: ConditionEntry, c: ConditionEntry): boolean {
  if (p.operator.toLowerCase() !== c.operator.toLowerCase() || p.key.toLowerCase() !== c.key.toLowerCase()) return false;
  const op = base(c.operator);
  if (/Not/.test(op)) return c.values.every((v) => p.values.includes(v)); // excluding more is stricter
  if (/^(StringLike|ArnLike|ArnEquals)$/i.test(op)) return p.values.every((v) => c.values.some((w) => resourceCovers(w, v)));
  if (/^(StringEquals|StringEqualsIgnoreCase|IpAddress)$/i.test(op)) return p.values.every((v) => c.values.includes(v));
  return p.values.length === c.values.length && p.values.every((v, k) => v === c.values[k]);
}

/**
 * True when the conditions `strict` (all must hold) imply the conditions `loose`: every entry of `loose` is
 * implied by an entry of `strict`. Conservative: different operators or keys never imply each other.
 */
export function conditionsImply(strict: ConditionEntry[], loose: ConditionEntry[]): boolean {
  return loose.every((c) => strict.some((p) => entryImplies(p, c)));
}
