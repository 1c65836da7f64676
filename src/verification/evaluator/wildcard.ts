// IAM globs: `*` matches any run of characters (also empty), `?` exactly one. Matched with a small
// backtracking matcher rather than regular expressions: building a RegExp costs more than the verifier's
// typical comparison, and policies arrive fresh for every comparison in the oracle test.

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
