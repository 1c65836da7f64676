// IAM wildcards, in one place: `*` matches any run of characters (also empty), `?` exactly one. Actions match
// case-insensitively, resources and condition values case-sensitively. Two questions are answered here:
// - match: does a pattern match a value (the value's own `*` and `?` are plain characters);
// - cover: does pattern A match every string pattern B matches (B's `*` and `?` are wildcards, its escapes
//   `${*}`, `${?}`, `${$}` literal characters, and a policy variable an unknown value that only a `*` or the
//   same variable covers).
// Matching uses a small backtracking matcher rather than regular expressions: building a RegExp costs more
// than the verifier's typical comparison, and policies arrive fresh for every comparison in the oracle test.
import { splitArn } from './arn.js';

/** A glob: its text and, per character, 0 for a literal, 1 for `*`, 2 for `?` (no mask: all literal). */
export interface Glob {
  text: string;
  mask?: Uint8Array;
}

export const STAR_CODE = 1;
export const QMARK_CODE = 2;

/** Tests a value against a glob. */
export function globTest(glob: Glob, value: string): boolean {
  const { text, mask } = glob;
  if (!mask) return text === value;
  let p = 0;
  let v = 0;
  let starP = -1;
  let starV = 0;
  const n = text.length;
  while (v < value.length) {
    const m = p < n ? mask[p] : -1;
    if (m === QMARK_CODE || (m === 0 && text.charCodeAt(p) === value.charCodeAt(v))) {
      p++;
      v++;
    } else if (m === STAR_CODE) {
      starP = p++;
      starV = v;
    } else if (starP !== -1) {
      // Let the last `*` absorb one more character and retry from there.
      p = starP + 1;
      v = ++starV;
    } else {
      return false;
    }
  }
  while (p < n && mask[p] === STAR_CODE) p++;
  return p === n;
}

/** A glob where every `*` and `?` of the text is a wildcard. */
export function rawGlob(pattern: string): Glob {
  if (!pattern.includes('*') && !pattern.includes('?')) return { text: pattern };
  const mask = new Uint8Array(pattern.length);
  for (let k = 0; k < pattern.length; k++) {
    const c = pattern[k];
    mask[k] = c === '*' ? STAR_CODE : c === '?' ? QMARK_CODE : 0;
  }
  return { text: pattern, mask };
}

const lowerGlobs = new Map<string, Glob>();

/** Tests a glob pattern against a value, optionally ignoring case (as action names are compared). */
export function globMatches(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === '*') return true;
  if (!ignoreCase) return globTest(rawGlob(pattern), value);
  let glob = lowerGlobs.get(pattern);
  if (glob === undefined) {
    if (lowerGlobs.size > 10_000) lowerGlobs.clear();
    glob = rawGlob(pattern.toLowerCase());
    lowerGlobs.set(pattern, glob);
  }
  return globTest(glob, value.toLowerCase());
}

/** Whether an action pattern (`*`, `s3:Get*`, `ec2:Describe?pc*`) matches an action; case-insensitive. */
export function actionMatches(pattern: string, action: string): boolean {
  return globMatches(pattern, action, true);
}

type Token = { kind: 'star' } | { kind: 'one' } | { kind: 'lit'; text: string } | { kind: 'var'; text: string };

const STAR: Token = { kind: 'star' };
const ONE: Token = { kind: 'one' };

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
    out.push(c === '*' ? STAR : c === '?' ? ONE : { kind: 'lit', text: c });
  }
  return out;
}

/**
 * True when every string that `inner` matches is also matched by `outer` (language inclusion). The check
 * is sound but not complete: it never claims a cover that does not hold, and in rare shapes (e.g. `*?`
 * against `?*`) it says "not covered" although it is. That errs towards reporting a widening.
 */
function tokensCover(outer: Token[], inner: Token[]): boolean {
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

/** Whether glob pattern `outer` matches every string pattern `inner` matches, without ARN fields. */
export function globCovers(outer: string, inner: string): boolean {
  return outer === inner || tokensCover(tokens(outer), tokens(inner));
}

const fieldGlobs = new Map<string, Glob[]>();

/** A pattern without escapes or variables as globs: one per ARN field, or one for the whole non-ARN pattern. */
function outerGlobs(outer: string): Glob[] {
  let globs = fieldGlobs.get(outer);
  if (globs === undefined) {
    if (fieldGlobs.size > 10_000) fieldGlobs.clear();
    globs = (arnFields(outer) ?? [outer]).map(rawGlob);
    fieldGlobs.set(outer, globs);
  }
  return globs;
}

/** The six fields of an ARN pattern (`arn:` first), else undefined. */
function arnFields(pattern: string): string[] | undefined {
  return pattern.startsWith('arn:') ? splitArn(pattern) : undefined;
}

/**
 * Whether resource pattern `outer` allows everything resource pattern `inner` allows. ARNs are compared
 * field by field, as IAM matches them (a `*` never spans the colons between the first five fields); an ARN
 * and a non-ARN never cover each other, except `*`, which covers everything.
 */
export function resourceCovers(outer: string, inner: string): boolean {
  if (outer === '*' || outer === inner) return true;
  // Without a wildcard, an escape or a variable, outer is one literal string that only itself covers.
  if (!/[*?$]/.test(outer)) return false;
  const b = arnFields(inner);
  // The common case, a pattern against one concrete resource, is a match of cached globs.
  if (!outer.includes('$') && !/[*?$]/.test(inner)) {
    const globs = outerGlobs(outer);
    if (globs.length === 1) return b === undefined && globTest(globs[0], inner);
    return b !== undefined && globs.every((g, k) => globTest(g, b[k]));
  }
  const a = arnFields(outer);
  if (a && b) return a.every((field, k) => globCovers(field, b[k]));
  if (a || b) return false;
  return globCovers(outer, inner);
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
