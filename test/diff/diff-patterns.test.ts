import { expandIamActions } from '@cloud-copilot/iam-expand';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandActions, loadActionUniverse } from '../../src/diff/action-universe.js';
import { conditionEntries, conditionsImply } from '../../src/diff/conditions.js';
import { neverLoggedReason } from '../../src/diff/never-logged.js';
import { resourceCovers, resourcesMayOverlap } from '../../src/iam/glob.js';

const globRe = (p: string): RegExp => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');

describe('resourceCovers', () => {
  it.each([
    ['*', 'arn:aws:s3:::b/*', true],
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
    ['arn:aws:s3:::b/${*}', 'arn:aws:s3:::b/x', false],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/${*}', true],
  ])('%s covers %s: %s', (outer, inner, want) => {
    expect(resourceCovers(outer, inner)).toBe(want);
  });

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

describe('action expansion', () => {
  it('agrees with @cloud-copilot/iam-expand on wildcards', async () => {
    const universe = await loadActionUniverse([]);
    for (const p of ['s3:Get*', 'ec2:Describe*', 'iam:*Role*', 'logs:*', 'kms:?ncrypt', 'codebuild:Batch*']) {
      const ours = [...expandActions(universe, [p], false)].map((a) => a.toLowerCase()).sort();
      const theirs = (await expandIamActions(p)).map((a) => a.toLowerCase()).sort();
      expect(ours, p).toEqual(theirs);
      expect(ours.length, p).toBeGreaterThan(0);
    }
  });

  it('expands NotAction to every other action', async () => {
    const universe = await loadActionUniverse([]);
    const not = expandActions(universe, ['iam:*'], true);
    expect(not.has('iam:PassRole')).toBe(false);
    expect(not.has('s3:GetObject')).toBe(true);
    expect(not.size + expandActions(universe, ['iam:*'], false).size).toBe(universe.actions.length);
  });

  it('keeps literal actions that the reference data does not know', async () => {
    const universe = await loadActionUniverse([{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'newsvc:DoThing', Resource: '*' }] }]);
    expect([...expandActions(universe, ['newsvc:*'], false)]).toEqual(['newsvc:DoThing']);
  });
});

describe('conditions', () => {
  const c = (block: object) => conditionEntries(block as never);
  it('treats fewer accepted values as stricter for positive operators and more as stricter for negated ones', () => {
    expect(conditionsImply(c({ StringEquals: { k: 'a' } }), c({ StringEquals: { k: ['a', 'b'] } }))).toBe(true);
    expect(conditionsImply(c({ StringEquals: { k: ['a', 'b'] } }), c({ StringEquals: { k: 'a' } }))).toBe(false);
    expect(conditionsImply(c({ StringNotEquals: { k: ['a', 'b'] } }), c({ StringNotEquals: { k: 'a' } }))).toBe(true);
    expect(conditionsImply(c({ StringLike: { k: 'arn:x/a/*' } }), c({ StringLike: { k: 'arn:x/*' } }))).toBe(true);
    expect(conditionsImply(c({ Bool: { 'aws:SecureTransport': true } }), c({ Bool: { 'aws:SecureTransport': 'true' } }))).toBe(true);
    expect(conditionsImply(c({}), c({ StringEquals: { k: 'a' } }))).toBe(false);
    expect(conditionsImply(c({ StringEquals: { k: 'a' } }), c({}))).toBe(true);
  });
});

describe('never-logged actions', () => {
  it('marks data-plane and implicit actions, not ordinary API calls', () => {
    for (const a of ['logs:PutLogEvents', 'iam:PassRole', 's3:GetObject', 's3:PutObjectAcl', 'dynamodb:PutItem', 'lambda:InvokeFunction']) expect(neverLoggedReason(a), a).toBeTruthy();
    for (const a of ['s3:CreateBucket', 'logs:CreateLogStream', 'ecr:GetAuthorizationToken', 'codebuild:StartBuild']) expect(neverLoggedReason(a), a).toBeUndefined();
  });
});
