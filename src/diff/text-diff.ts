// A line diff for people who read diffs: both document sets normalized (sorted keys, single values as
// lists, sorted lists, identity statements of all policies merged and sorted) so that only meaning shows.
import { createTwoFilesPatch } from 'diff';
import type { PolicyDocument, PolicyStatement } from '../model.js';
import type { DocumentSet } from './allowance.js';

const LIST_FIELDS = new Set(['Action', 'NotAction', 'Resource', 'NotResource']);

function sortValue(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => sortValue(v));
    if (items.every((v) => typeof v !== 'object' || v === null)) return [...new Set(items.map(String))].sort();
    return items.sort((a, b) => cmp(JSON.stringify(a), JSON.stringify(b)));
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortValue((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A statement with every list-valued field written as a list (so "x" and ["x"] compare equal). */
function normalizeStatement(st: PolicyStatement): unknown {
  const out: Record<string, unknown> = { ...st };
  for (const f of LIST_FIELDS) {
    const v = out[f];
    if (v !== undefined && !Array.isArray(v)) out[f] = [v];
  }
  if (out.Condition) {
    const cond: Record<string, Record<string, unknown>> = {};
    for (const [op, keys] of Object.entries(out.Condition as Record<string, Record<string, unknown>>)) {
      cond[op] = Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
    }
    out.Condition = cond;
  }
  return sortValue(out);
}

function statements(docs: PolicyDocument[]): unknown[] {
  return docs
    .flatMap((d) => d.Statement.map(normalizeStatement))
    .sort((a, b) => cmp(JSON.stringify(a), JSON.stringify(b)));
}

/** The normalized JSON text of a document set, the input of the text diff. */
export function normalizedText(set: DocumentSet): string {
  // A fixed top-level order, every part present (an empty list when absent), so the two sides line up.
  const view = {
    identity: statements(set.identity.map((d) => d.document)),
    boundary: set.boundary ? statements([set.boundary.document]) : [],
    ...(set.trust ? { trust: statements([set.trust]) } : {}),
  };
  return `${JSON.stringify(view, null, 2)}\n`;
}

/** A unified diff of the normalized documents; empty when they say the same thing word for word. */
export function textDiff(current: DocumentSet, proposed: DocumentSet, names = { current: 'current', proposed: 'proposed' }): string {
  const a = normalizedText(current);
  const b = normalizedText(proposed);
  if (a === b) return '';
  return createTwoFilesPatch(names.current, names.proposed, a, b, undefined, undefined, { context: 3 });
}
