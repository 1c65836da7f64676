// The trust policy's aws:SourceAccount and aws:SourceArn values are read out of ARNs through src/iam/arn.ts.
// ARNs from a trail are attacker-shaped: extra colons, empty or non-numeric accounts, wildcards, other
// partitions. Only a 12-digit account becomes a SourceAccount, and a project ARN is made only from a log group
// of /aws/codebuild/<name> in a region with such an account; the name never carries a wildcard or a colon.
import { describe, expect, it } from 'vitest';
import { projectsFromLogGroups, trustAccounts } from '../../src/synthesis/trust.js';

describe('trust values from hostile ARNs', () => {
  it.each([
    ['arn:aws:iam::123456789012:role/x:y', ['123456789012']],
    ['arn:aws-cn:iam::123456789012:role/x', ['123456789012']],
    ['arn:aws:iam::*:role/x', []],
    ['arn:aws:iam::12345678901:role/x', []],
    ['arn:aws:iam::1234567890123:role/x', []],
    ['arn:aws:iam::١٢٣٤٥٦٧٨٩٠١٢:role/x', []],
    ['arn::iam::123456789012:role/x', []],
    ['arn:aws:iam:123456789012:role/x', []],
    ['arn:aws:iam::123456789012', []],
    [`arn:aws:iam::123456789012:role/${'x'.repeat(100_000)}`, ['123456789012']],
  ])('role %j gives SourceAccount %j', (role, want) => {
    expect(trustAccounts([role], [], [])).toEqual(want);
  });

  it.each([
    'arn:aws:logs:us-east-1:*:log-group:/aws/codebuild/app',
    'arn:aws:logs::123456789012:log-group:/aws/codebuild/app',
    'arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/ap*',
    'arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/a${*}',
    'arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/',
    'arn:aws:logs:us-east-1:123456789012:log-group:/aws/other/app',
    'arn:aws:s3:us-east-1:123456789012:log-group:/aws/codebuild/app',
    'arn::logs:us-east-1:123456789012:log-group:/aws/codebuild/app',
  ])('log group %j names no project', (group) => {
    expect(projectsFromLogGroups([group])).toEqual([]);
  });

  it('a log group with more colons names its project, cut at the first colon', () => {
    expect(projectsFromLogGroups(['arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/app:log-stream:a:b'])).toEqual([
      'arn:aws:codebuild:us-east-1:123456789012:project/app',
    ]);
  });
});
