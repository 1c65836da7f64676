// All wildcard matching the diff does, in one file. IAM wildcards are `*` (any run of characters) and `?`
// (one character); actions match case-insensitively, resources case-sensitively. Action matching and
// pattern-against-concrete-ARN matching are the request evaluator's; pattern-against-pattern coverage, which
// the evaluator does not need, lives here. A policy variable such as `${aws:username}` is an unknown value:
// in a proposed pattern it may be anything, so only a `*` or the same variable covers it.
import { resourceMatches } from '../verification/evaluator/index.js';

export { actionMatches } from '../verification/evaluator/index.js';

/** Whether a Resource pattern matches one concrete resource (no request context: variables never match). */
export function resourceMatchesConcrete(pattern: string, resource: string): boolean {
  return resourceMatches(pattern, resource);
}

type Token = { kind: 'star' } | { kind: 'one' } | { kind: 'lit'; text: string } | { kind: 'var'; text: string };

/** Splits a pattern into literal characters, `*`, `?`, and policy variables (`${*}` etc. are literals). */
function tokens(pattern: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '$' && pattern[i + 1] === '{') {
      const end = pattern.indexOf('}', i);
      if (end > 0) {
        const inner = pattern.slice(i + 2, end);
        if (inner === '*' || inner === '?' || inner === '$') out.push({ kind: 'lit', text: inner });
        else out.push({ kind: 'var', text: pattern.slice(i, end + 1) });
        i = end;
        continue;
      }
    }
    out.push(c === '*' ? { kind: 'star' } : c === '?' ? { kind: 'one' } : { kind: 'lit', text: c });
  }
  return out;
}

/**
 * True when every string that `inner` matches is also matched by `outer` (language inclusion). The check
 * is sound but not complete: it never claims a cover that does not hold, and in rare shapes (e.g. `*?`
 * against `?*`) it says "not covered" although it is. That errs towards reporting a widening.
 */
function globCovers(outer: Token[], inner: Token[]): boolean {
  // memo[i][j]: outer[i..] covers inner[j..]
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * (inner.length + 1) + j;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let result: boolean;
    if (i === outer.length) result = j === inner.length;
    else {
      const o = outer[i];
      if (o.kind === 'star') result = go(i + 1, j) || (j < inner.length && go(i, j + 1));
      else if (j === inner.length) result = false;
      else {
        const n = inner[j];
        if (o.kind === 'one') result = (n.kind === 'lit' || n.kind === 'one') && go(i + 1, j + 1);
        else if (o.kind === 'lit') result = n.kind === 'lit' && n.text === o.text && go(i + 1, j + 1);
        else result = n.kind === 'var' && n.text === o.text && go(i + 1, j + 1);
      }
    }
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}

/** The six ARN segments; the last keeps its colons. Undefined when the value is not an ARN. */
function arnSegments(value: string): string[] | undefined {
  if (!value.startsWith('arn:')) return undefined;
  const parts = value.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/**
 * Whether resource pattern `outer` allows everything `inner` allows. ARNs are compared segment by segment,
 * which is right whether or not a `*` may span a colon in IAM's matching.
 */
export function resourceCovers(outer: string, inner: string): boolean {
  if (outer === '*') return true;
  if (outer === inner) return true;
  const a = arnSegments(outer);
  const b = arnSegments(inner);
  if (a && b) return a.every((seg, k) => globCovers(tokens(seg), tokens(b[k])));
  if (a || b) return false;
  return globCovers(tokens(outer), tokens(inner));
}

/** Literal text before the first wildcard or variable. */
function literalPrefix(p: string): string {
  const m = /^[^*?$]*/.exec(p);
  return m ? m[0] : '';
}

/** Literal text after the last wildcard or variable. */
function literalSuffix(p: string): string {
  const m = /[^*?}]*$/.exec(p);
  return m ? m[0] : '';
}

/**
 * False only when the two patterns can match no common string (their literal prefixes or suffixes
 * disagree). When unsure it says they may overlap.
 */
export function resourcesMayOverlap(a: string, b: string): boolean {
  const pa = literalPrefix(a);
  const pb = literalPrefix(b);
  if (!(pa.startsWith(pb) || pb.startsWith(pa))) return false;
  const sa = literalSuffix(a);
  const sb = literalSuffix(b);
  if (!(sa.endsWith(sb) || sb.endsWith(sa))) return false;
  return true;
}
