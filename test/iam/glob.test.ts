// src/iam/glob.ts: the one IAM wildcard match and cover. Matching is checked against
// @cloud-copilot/iam-simulate (AGPL, devDependency, tests only) on generated pairs; cover is checked for
// soundness by sampling, and where the two former implementations disagreed, the oracle shows which is IAM's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionMatches, globMatches, resourceCovers, resourcesMayOverlap } from '../../src/iam/glob.js';
import type { PolicyDocument } from '../../src/model.js';
import { minimizePatterns } from '../../src/synthesis/generalize.js';
import { Rng } from '../support/oracle-cases.js';
import { oracleVerdicts } from '../support/oracle.js';

/** The shared seeded PRNG as a function: the same pairs on every run. */
function rng(seed: number): () => number {
  const g = new Rng(seed);
  return () => g.next();
}

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)];
const text = (r: () => number, alphabet: string, max: number): string => Array.from({ length: Math.floor(r() * (max + 1)) }, () => pick(r, [...alphabet])).join('');

const allow = (action: string, resource: string): PolicyDocument[] => [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] }];

/** Whether IAM (the oracle) allows `action` on `resource` under one Allow of `actionPattern` on `resourcePattern`. */
async function iamAllows(actionPattern: string, resourcePattern: string, action: string, resource: string): Promise<boolean> {
  const v = await oracleVerdicts({ action, resource, context: {} }, allow(actionPattern, resourcePattern));
  return v.decision === 'Allow';
}

const S3 = 'arn:aws:s3:::';
const S3_ACTIONS = ['s3:GetObject', 's3:GetObjectAcl', 's3:GetObjectTagging', 's3:PutObject', 's3:PutObjectAcl', 's3:DeleteObject', 's3:GetObjectVersion'];

/** An action pattern made from a real action: a run replaced by `*`, characters by `?`, case changed. */
function actionPattern(r: () => number): string {
  let p = pick(r, S3_ACTIONS).slice(3);
  const from = Math.floor(r() * p.length);
  if (r() < 0.6) p = `${p.slice(0, from)}*${p.slice(from + Math.floor(r() * 4))}`;
  if (r() < 0.4) p = [...p].map((c) => (c !== '*' && r() < 0.15 ? '?' : c)).join('');
  if (r() < 0.5) p = [...p].map((c) => (r() < 0.3 ? (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) : c)).join('');
  return `${pick(r, ['s3', 'S3'])}:${p}`;
}

describe('match, against iam-simulate', () => {
  it('actions: case-insensitive `*` and `?` on 300 generated pairs', async () => {
    const r = rng(20261204);
    let matched = 0;
    for (let k = 0; k < 300; k++) {
      const pattern = actionPattern(r);
      const action = pick(r, S3_ACTIONS);
      const ours = actionMatches(pattern, action);
      expect(ours, `${pattern} ~ ${action}`).toBe(await iamAllows(pattern, '*', action, `${S3}b/k`));
      if (ours) matched++;
    }
    // Both answers occur often enough for the comparison to mean something.
    expect(matched).toBeGreaterThan(30);
    expect(matched).toBeLessThan(270);
  });

  it('resources: case-sensitive `*` and `?` on 400 generated pairs, colons included', async () => {
    const r = rng(4242);
    let matched = 0;
    for (let k = 0; k < 400; k++) {
      // Values from a small alphabet so that patterns hit them; patterns are values with wildcards put in.
      const value = `b/${text(r, 'aAb/:.', 6)}`;
      // Half the patterns come from the value, half from another one.
      const base = r() < 0.5 ? value : `b/${text(r, 'aAb/:.', 6)}`;
      let pattern = [...base].map((c) => (r() < 0.15 ? '?' : c)).join('');
      if (r() < 0.7) {
        const at = Math.floor(r() * (pattern.length + 1));
        pattern = `${pattern.slice(0, at)}*${pattern.slice(at + Math.floor(r() * 3))}`;
      }
      if (r() < 0.3) pattern = [...pattern].map((c) => (c === 'a' && r() < 0.5 ? 'A' : c)).join('');
      const ours = globMatches(`${S3}${pattern}`, `${S3}${value}`);
      expect(ours, `${pattern} ~ ${value}`).toBe(await iamAllows('s3:GetObject', `${S3}${pattern}`, 's3:GetObject', `${S3}${value}`));
      // Covering one concrete resource is matching it.
      expect(resourceCovers(`${S3}${pattern}`, `${S3}${value}`), `${pattern} covers ${value}`).toBe(ours);
      if (ours) matched++;
    }
    expect(matched).toBeGreaterThan(40);
    expect(matched).toBeLessThan(360);
  });
});

/** The reference reading of a glob: a regular expression over the whole string. */
const globRe = (p: string): RegExp => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');

describe('cover', () => {
  it.each([
    ['*', 'arn:aws:s3:::b/*', true],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/x/y', true],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/a:b', true],
    ['arn:aws:s3:::b/?', 'arn:aws:s3:::b/${*}', true],
    ['arn:aws:s3:::b/${*}', 'arn:aws:s3:::b/x', false],
    ['arn:aws:s3:::b/${*}', 'arn:aws:s3:::b/${*}', true],
    ['arn:aws:s3:::b/x', 'arn:aws:s3:::b/x', true],
    ['arn:aws:s3:::b/x', 'arn:aws:s3:::b/?', false],
    ['b/*', 'b/x', true],
    ['b/*', 'arn:aws:s3:::b/x', false],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/out/*', true],
    ['arn:aws:s3:::b/out/*', 'arn:aws:s3:::b/*', false],
    ['arn:aws:s3:::b/*', '*', false],
    ['arn:aws:s3:::b/?', 'arn:aws:s3:::b/x', true],
    ['arn:aws:s3:::b/?', 'arn:aws:s3:::b/*', false],
    ['arn:aws:logs:*:1:log-group:g:*', 'arn:aws:logs:us-east-1:1:log-group:g:*', true],
    ['arn:aws:logs:us-east-1:1:log-group:g:*', 'arn:aws:logs:*:1:log-group:g:*', false],
    // A variable in the proposal may be anything: only a wildcard or the same variable covers it.
    ['arn:aws:s3:::b/${aws:username}/*', 'arn:aws:s3:::b/${aws:username}/*', true],
    ['arn:aws:s3:::b/alice/*', 'arn:aws:s3:::b/${aws:username}/*', false],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/${aws:username}/*', true],
    // ${*} is a literal star.
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/${*}', true],
  ])('%s covers %s: %s', (outer, inner, want) => {
    expect(resourceCovers(outer, inner)).toBe(want);
  });

  // generalize.ts's former covers() read B's wildcards as plain characters, so `a?` "covered" `a*`; the
  // diff's reads them as wildcards. IAM sides with the diff: a* allows a key that a? does not.
  it('`?` does not cover `*` (the oracle allows b/abc under b/a* and not under b/a?)', async () => {
    expect(resourceCovers(`${S3}b/a?`, `${S3}b/a*`)).toBe(false);
    expect(await iamAllows('s3:GetObject', `${S3}b/a*`, 's3:GetObject', `${S3}b/abc`)).toBe(true);
    expect(await iamAllows('s3:GetObject', `${S3}b/a?`, 's3:GetObject', `${S3}b/abc`)).toBe(false);
  });

  // The former covers() let a `*` span the colons between ARN fields; IAM compares field by field.
  it('a `*` in a field does not reach into the next one', async () => {
    const outer = 'arn:aws:logs:*:111122223333:log-group:g';
    const inner = 'arn:aws:logs:us-east-1:111122223333:111122223333:log-group:g';
    expect(resourceCovers(outer, inner)).toBe(false);
    expect(await iamAllows('logs:CreateLogStream', inner, 'logs:CreateLogStream', inner)).toBe(true);
    expect(await iamAllows('logs:CreateLogStream', outer, 'logs:CreateLogStream', inner)).toBe(false);
  });

  it('is sound on generated patterns: what it says is covered, IAM allows under the outer pattern', async () => {
    const r = rng(777);
    let covered = 0;
    for (let k = 0; k < 150; k++) {
      const outer = `b/${text(r, 'ab*?', 4)}`;
      const inner = `b/${text(r, 'ab*?', 4)}`;
      if (!resourceCovers(`${S3}${outer}`, `${S3}${inner}`)) continue;
      covered++;
      // Instances of the inner pattern: each `*` as '', 'a' or 'ba', each `?` as 'a' or 'b'.
      for (let n = 0; n < 3; n++) {
        const value = inner.replace(/\*/g, () => pick(r, ['', 'a', 'ba'])).replace(/\?/g, () => pick(r, ['a', 'b']));
        expect(await iamAllows('s3:GetObject', `${S3}${outer}`, 's3:GetObject', `${S3}${value}`), `${outer} ⊇ ${inner} at ${value}`).toBe(true);
      }
    }
    expect(covered).toBeGreaterThan(10);
  });

  it('minimizePatterns keeps one of two patterns where the former cover dropped both', () => {
    // The old reading had a? cover a* and a* cover a?, so neither stayed and b/abc lost its grant.
    expect(minimizePatterns([`${S3}b/a?`, `${S3}b/a*`])).toEqual([`${S3}b/a*`]);
    expect(minimizePatterns([`${S3}b/x`, `${S3}b/*`, `${S3}c/x`])).toEqual([`${S3}b/*`, `${S3}c/x`]);
  });
});

describe('cover, by sampling', () => {
  it('is sound: when it says a pattern covers another, every string the inner one matches, the outer one matches', () => {
    const pattern = fc.stringMatching(/^[ab/*?]{0,6}$/);
    fc.assert(
      fc.property(pattern, pattern, fc.array(fc.stringMatching(/^[ab/]{0,3}$/), { minLength: 8, maxLength: 8 }), (outer, inner, fills) => {
        if (!resourceCovers(outer, inner)) return true;
        // Instantiate the inner pattern's wildcards with sample text and check the outer pattern matches.
        let k = 0;
        const sample = inner.replace(/[*?]/g, (w) => {
          const f = fills[k++ % fills.length];
          return w === '?' ? (f[0] ?? 'a') : f;
        });
        return globRe(outer).test(sample);
      }),
      { numRuns: 3000 },
    );
  });

  it('is exact on concrete resources', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[ab/*?]{0,6}$/), fc.stringMatching(/^[ab/]{0,6}$/), (p, s) => resourceCovers(p, s) === globRe(p).test(s)),
      { numRuns: 3000 },
    );
  });

  it('only calls patterns disjoint when they are', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[ab*]{0,5}$/), fc.stringMatching(/^[ab]{0,5}$/), (p, s) => {
        // A concrete string that matches the pattern overlaps with it.
        return !globRe(p).test(s) || resourcesMayOverlap(p, s);
      }),
      { numRuns: 3000 },
    );
    expect(resourcesMayOverlap('arn:aws:s3:::a/*', 'arn:aws:s3:::b/*')).toBe(false);
  });
});
