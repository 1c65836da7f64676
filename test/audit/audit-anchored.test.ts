// The CodeBreach check against the regex engine itself: a pattern the check calls anchored accepts no value
// that merely contains an allowed account ID; a pattern it calls unanchored accepts one. Patterns are built
// from random account IDs in the forms people write (alternations, groups, escapes).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alternatives, isAnchored } from '../../src/audit/checks/webhook.js';

const id = fc.stringMatching(/^[1-9][0-9]{5,8}$/);
const forms = (ids: string[]): string[] => [
  `^(${ids.join('|')})$`,
  ids.map((i) => `^${i}$`).join('|'),
  `^${ids.join('|')}$`,
  ids.join('|'),
  `^(${ids.join('|')})`,
  `(${ids.join('|')})$`,
  `^(${ids.join('|')})\\$`,
  `^(?:${ids.join('|')})$`,
  `^[0-9]*(${ids.join('|')})$`,
];

describe('anchored ACTOR_ACCOUNT_ID patterns', () => {
  it('anchored means no look-alike passes; unanchored means one does', () => {
    fc.assert(
      fc.property(fc.uniqueArray(id, { minLength: 1, maxLength: 3 }), (ids) => {
        for (const pattern of forms(ids)) {
          const re = new RegExp(pattern);
          const lookAlikes = ids.flatMap((i) => [`7${i}`, `${i}7`, `7${i}7`, `${i}$7`]);
          const bypass = lookAlikes.some((v) => re.test(v));
          // `^[0-9]*(...)$` is anchored but admits a prefix on purpose: the check judges anchoring, not width.
          if (pattern.startsWith('^[0-9]*')) {
            expect(isAnchored(pattern)).toBe(true);
            continue;
          }
          expect(isAnchored(pattern), pattern).toBe(!bypass);
        }
      }),
      { numRuns: 200, seed: 20261204 },
    );
  });

  it('splits only top-level alternatives', () => {
    expect(alternatives('^(a|b)$|^[|]$|^\\|$')).toEqual(['^(a|b)$', '^[|]$', '^\\|$']);
    expect(isAnchored('^(a|b)$|^[|]$|^\\|$')).toBe(true);
    expect(isAnchored('^a\\\\$')).toBe(true);
    expect(isAnchored('^a\\$')).toBe(false);
    expect(isAnchored('')).toBe(false);
  });
});
