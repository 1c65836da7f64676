import { expandIamActions } from '@cloud-copilot/iam-expand';
import { describe, expect, it } from 'vitest';
import { expandActions, loadActionUniverse } from '../../src/diff/action-universe.js';
import { conditionEntries, conditionsImply } from '../../src/diff/conditions.js';
import { neverLoggedReason } from '../../src/diff/never-logged.js';

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
