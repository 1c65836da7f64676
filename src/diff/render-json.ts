// The JSON report: keys sorted at every level, lists already sorted by the diff, so equal inputs give
// byte-identical output. The format is documented in docs/diff.md.
import type { DiffReport } from './report.js';

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

export function renderJson(r: DiffReport): string {
  return `${JSON.stringify(sortKeys(r), null, 2)}\n`;
}
