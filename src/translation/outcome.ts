// What a record's errorCode proves about authorization, from data/error-outcomes.json (a source per entry).
// "denied" calls are kept apart and never granted; "unproven" ones (authentication, throttling, validation...
// raised before authorization or saying nothing about it) are listed as not proven and never granted; any
// other error (NoSuchKey, ResourceNotFound, AlreadyExists...) came after authorization succeeded.
import type { Outcome } from '../model.js';
import { ERROR_OUTCOMES as raw } from './tables.js';

const codes = new Map(Object.entries(raw.codes).map(([k, v]) => [k.toLowerCase(), { code: k, ...v }]));
const patterns = raw.patterns.map((p) => ({ ...p, re: new RegExp(p.match, 'i') }));

export interface Classified {
  outcome: Outcome;
  /** The table's spelling of the error code, for "unproven" calls (never the log's own text). */
  error?: string;
}

export function classifyError(errorCode: unknown): Classified {
  if (errorCode === undefined || errorCode === null || errorCode === '') return { outcome: 'allowed' };
  // An errorCode that is not text (a number, an object) says an error happened but not whether it came
  // before authorization: nothing is proven.
  if (typeof errorCode !== 'string') return { outcome: 'unproven' };
  const code = errorCode.trim().replace(/^(Client|Server)\./i, '');
  const hit = codes.get(code.toLowerCase()) ?? patterns.find((p) => p.re.test(code));
  if (!hit) return { outcome: 'failed' };
  if (hit.outcome === 'unproven') return { outcome: 'unproven', error: 'code' in hit ? hit.code : undefined };
  return { outcome: 'denied' };
}
