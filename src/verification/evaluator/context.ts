// The request context as the evaluator reads it: condition keys are case-insensitive, so keys are
// lower-cased once per request.

import { parseArn } from '../../iam/arn.js';
import type { AuthRequest } from '../../model.js';
import type { UnknownKeys } from './condition.js';
import type { ContextValues } from './types.js';
import { globMatches } from '../../iam/glob.js';

const perRequest = new WeakMap<AuthRequest, ContextValues>();

/**
 * Lower-cases the keys of a context. Later spellings of the same key win, as in a JSON object. Numbers and
 * booleans (possible in contexts read from JSON) become their text; null and undefined mean "absent".
 */
export function contextValues(context: Record<string, string | string[]> | undefined): Map<string, string | string[]> {
  const map = new Map<string, string | string[]>();
  if (!context) return map;
  for (const key in context) {
    const value: unknown = context[key];
    if (typeof value === 'string') map.set(key.toLowerCase(), value);
    else if (Array.isArray(value)) map.set(key.toLowerCase(), value.filter((v) => v !== null && v !== undefined).map(String));
    else if (value !== null && value !== undefined) map.set(key.toLowerCase(), String(value));
  }
  return map;
}

/**
 * The context of a request, with `aws:PrincipalArn` and `aws:PrincipalAccount` taken from `principalArn`
 * when the context does not carry them itself.
 */
export function requestContext(request: AuthRequest): ContextValues {
  let values = perRequest.get(request);
  if (values === undefined) {
    const map = contextValues(request.context);
    const principal = request.principalArn;
    if (principal) {
      if (!map.has('aws:principalarn')) map.set('aws:principalarn', principal);
      const account = parseArn(principal)?.account;
      if (account && !map.has('aws:principalaccount')) map.set('aws:principalaccount', account);
    }
    values = map;
    perRequest.set(request, values);
  }
  return values;
}

const unknownPerRequest = new WeakMap<AuthRequest, UnknownKeys>();
const NONE: UnknownKeys = () => false;

/**
 * Which absent keys the request cannot tell: `request.unknownKeys` holds case-insensitive patterns
 * (`aws:PrincipalTag/*`). Without it every absent key is absent, as before.
 */
export function unknownKeysOf(request: AuthRequest): UnknownKeys {
  const patterns = request.unknownKeys;
  if (!patterns || patterns.length === 0) return NONE;
  let fn = unknownPerRequest.get(request);
  if (fn === undefined) {
    const lower = patterns.map((p) => p.toLowerCase());
    const memo = new Map<string, boolean>();
    fn = (key) => {
      let hit = memo.get(key);
      if (hit === undefined) {
        hit = lower.some((p) => globMatches(p, key));
        memo.set(key, hit);
      }
      return hit;
    };
    unknownPerRequest.set(request, fn);
  }
  return fn;
}
