// src/iam/arn.ts: the one ARN split. Golden cases (including hostile ones), then properties against the plain
// reading "split at every colon, the sixth field and later joined back", which is how the AWS docs define an ARN.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatArn, parseArn, partitionOf, splitArn, type Arn } from '../../src/iam/arn.js';

const arn = (partition: string, service: string, region: string, account: string, resource: string): Arn => ({ partition, service, region, account, resource });

describe('parseArn', () => {
  it.each<[string, Arn | undefined]>([
    ['arn:aws:s3:::bucket/key', arn('aws', 's3', '', '', 'bucket/key')],
    ['arn:aws:iam::123456789012:role/service-role/build', arn('aws', 'iam', '', '123456789012', 'role/service-role/build')],
    // The resource keeps every further colon.
    ['arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/p:log-stream:abc', arn('aws', 'logs', 'us-east-1', '123456789012', 'log-group:/aws/codebuild/p:log-stream:abc')],
    ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:db:pass-AbCdEf', arn('aws', 'secretsmanager', 'eu-west-1', '123456789012', 'secret:db:pass-AbCdEf')],
    // Other partitions are read as they stand.
    ['arn:aws-cn:s3:::b', arn('aws-cn', 's3', '', '', 'b')],
    ['arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/k', arn('aws-us-gov', 'kms', 'us-gov-west-1', '123456789012', 'key/k')],
    // Empty fields, everywhere, are fields.
    ['arn:::::', arn('', '', '', '', '')],
    ['arn:aws:s3:::', arn('aws', 's3', '', '', '')],
    // An escaped slash or a wildcard is text: nothing is unescaped or interpreted.
    ['arn:aws:s3:::b/a\\/b', arn('aws', 's3', '', '', 'b/a\\/b')],
    ['arn:aws:s3:::b/${*}/*', arn('aws', 's3', '', '', 'b/${*}/*')],
    ['arn:*:*:*:*:*', arn('*', '*', '*', '*', '*')],
    // Not an ARN: too few colons, another prefix, a different case.
    ['arn:aws:s3::', undefined],
    ['arn:aws:s3', undefined],
    ['', undefined],
    ['*', undefined],
    ['ARN:aws:s3:::b', undefined],
    [' arn:aws:s3:::b', undefined],
    ['urn:aws:s3:::b', undefined],
  ])('%j', (input, want) => {
    expect(parseArn(input)).toEqual(want);
  });

  it('formats back to the same string for every ARN', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z0-9:/*${}\\-]{0,8}$/), { minLength: 5, maxLength: 5 }), (f) => {
        const text = `arn:${f.join(':')}`;
        const parsed = parseArn(text);
        expect(parsed).toBeDefined();
        expect(formatArn(parsed as Arn)).toBe(text);
      }),
    );
  });

  it('agrees with splitting at every colon and joining the sixth field on', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^(arn)?[a-z:/-]{0,20}$/), (text) => {
        const parts = text.split(':');
        const want = parts.length >= 6 ? [...parts.slice(0, 5), parts.slice(5).join(':')] : undefined;
        expect(splitArn(text)).toEqual(want);
        const parsed = parseArn(text);
        if (want === undefined || want[0] !== 'arn') expect(parsed).toBeUndefined();
        else expect(parsed).toEqual(arn(want[1], want[2], want[3], want[4], want[5]));
      }),
    );
  });
});

describe('splitArn', () => {
  it('does not check the first field (IAM compares it like the others)', () => {
    expect(splitArn('x:aws:s3:::b')).toEqual(['x', 'aws', 's3', '', '', 'b']);
    expect(splitArn('::::')).toBeUndefined();
    expect(splitArn(':::::')).toEqual(['', '', '', '', '', '']);
  });
});

describe('partitionOf', () => {
  it.each([
    ['arn:aws:sts::123456789012:assumed-role/r/s', 'aws'],
    ['arn:aws-cn:iam::123456789012:role/r', 'aws-cn'],
    ['arn:aws-us-gov:iam::123456789012:role/r', 'aws-us-gov'],
    // A partition goes into every ARN the tool writes: anything but lower-case letters and hyphens is refused.
    ['arn:aws*:iam::123456789012:role/r', undefined],
    ['arn:AWS:iam::123456789012:role/r', undefined],
    ['arn::iam::123456789012:role/r', undefined],
    ['arn:aws}:iam::1:role/r', undefined],
    ['arn:aws:iam', undefined],
  ])('%j -> %j', (input, want) => {
    expect(partitionOf(input)).toBe(want);
  });
});
