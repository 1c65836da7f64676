// IAM glob patterns: `*` matches any run of characters (also empty), `?` exactly one. Compiled patterns are
// cached because the verifier replays the same statements against many requests.

const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 20_000;

const SPECIAL = /[.+^${}()|[\]\\*?]/g;

/** Escapes a literal for use inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(SPECIAL, '\\$&');
}

/** The regular expression source of a glob, `*` and `?` being wildcards and everything else literal. */
export function globSource(pattern: string): string {
  let out = '';
  for (const ch of pattern) {
    if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else out += escapeRegExp(ch);
  }
  return out;
}

/** A cached, anchored RegExp for a regular expression source. `s` makes `.` match line breaks too. */
export function cachedRegExp(source: string, ignoreCase: boolean): RegExp {
  const key = (ignoreCase ? 'i' : 's') + source;
  let re = cache.get(key);
  if (re === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    re = new RegExp(`^(?:${source})$`, ignoreCase ? 'is' : 's');
    cache.set(key, re);
  }
  return re;
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** Tests a glob against a value; without wildcards it is a plain (optionally case-insensitive) comparison. */
export function globMatches(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === '*') return true;
  if (!hasWildcard(pattern)) {
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  return cachedRegExp(globSource(pattern), ignoreCase).test(value);
}
