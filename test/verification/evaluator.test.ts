// Unit and property tests for the evaluator's building blocks; the behaviour of whole policies is in the
// golden cases (evaluator-cases.test.ts) and the oracle agreement test (evaluator-oracle.test.ts).
import { BlockList } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../src/errors.js';
import type { PolicyDocument } from '../../src/model.js';
import {
  actionMatches,
  cidrContains,
  evaluate,
  explainDecision,
  normalizeStatements,
  parseCidr,
  parseDate,
  parseIp,
  parseNumber,
  resourceMatches,
  splitArn,
} from '../../src/verification/evaluator/index.js';
import { rawGlob, globTest } from '../../src/iam/glob.js';

/** The reference reading of a glob: a regular expression over the whole string. */
function referenceGlob(pattern: string, value: string, flags = 's'): boolean {
  const source = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, flags).test(value);
}

const SEED = 7;

describe('glob matching', () => {
  it('agrees with a regular-expression reading on random patterns', () => {
    const alphabet = fc.constantFrom('a', 'b', ':', '/', '*', '?', '.');
    const text = fc.constantFrom('a', 'b', ':', '/', '.');
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 8 }), fc.string({ unit: text, maxLength: 10 }), (p, v) => {
        expect(globTest(rawGlob(p), v)).toBe(referenceGlob(p, v));
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });

  it('matches actions case-insensitively with * and ?', () => {
    expect(actionMatches('S3:get*', 's3:GetObject')).toBe(true);
    expect(actionMatches('ec2:Describe?pcs', 'ec2:DescribeVpcs')).toBe(true);
    expect(actionMatches('ec2:Describe?pcs', 'ec2:DescribeVVpcs')).toBe(false);
    expect(actionMatches('s3:Get', 's3:GetObject')).toBe(false);
    expect(actionMatches('*', 'anything:AtAll')).toBe(true);
  });
});

describe('resource matching', () => {
  it('matches ARNs segment by segment, case-sensitively', () => {
    expect(resourceMatches('arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b')).toBe(true);
    expect(resourceMatches('arn:aws:s3:::Bucket/*', 'arn:aws:s3:::bucket/a')).toBe(false);
    expect(resourceMatches('arn:aws:logs:*:*:log-group:g:*', 'arn:aws:logs:us-east-1:1:log-group:g:log-stream:s')).toBe(true);
    expect(resourceMatches('arn:aws:*:role/x', 'arn:aws:iam::1:role/x')).toBe(false);
    expect(resourceMatches('*', '*')).toBe(true);
    expect(resourceMatches('arn:aws:s3:::*', '*')).toBe(false);
  });

  it('agrees with a per-segment reference on random ARNs', () => {
    const seg = fc.string({ unit: fc.constantFrom('a', 'b', '-', '*', '?'), maxLength: 4 });
    const val = fc.string({ unit: fc.constantFrom('a', 'b', '-'), maxLength: 4 });
    const tail = fc.string({ unit: fc.constantFrom('a', '/', ':', '*'), maxLength: 6 });
    const tailVal = fc.string({ unit: fc.constantFrom('a', '/', ':'), maxLength: 6 });
    fc.assert(
      fc.property(fc.tuple(seg, seg, seg, tail), fc.tuple(val, val, val, tailVal), ([ps, pr, pa, pt], [vs, vr, va, vt]) => {
        const pattern = `arn:aws:${ps}:${pr}:${pa}:${pt}`;
        const arn = `arn:aws:${vs}:${vr}:${va}:${vt}`;
        const want =
          referenceGlob(ps, vs) && referenceGlob(pr, vr) && referenceGlob(pa, va) && referenceGlob(pt, vt);
        expect(resourceMatches(pattern, arn)).toBe(want);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('resolves policy variables, and an unresolved one matches nothing', () => {
    const p = 'arn:aws:s3:::home/${aws:username}/*';
    expect(resourceMatches(p, 'arn:aws:s3:::home/alice/x', { 'aws:username': 'alice' })).toBe(true);
    expect(resourceMatches(p, 'arn:aws:s3:::home/alice/x', {})).toBe(false);
    expect(resourceMatches("arn:aws:s3:::home/${aws:username, 'guest'}/*", 'arn:aws:s3:::home/guest/x', {})).toBe(true);
    expect(resourceMatches('arn:aws:s3:::home/${aws:username}', 'arn:aws:s3:::home/a*', { 'aws:username': 'a*' })).toBe(true);
    expect(resourceMatches('arn:aws:s3:::home/${aws:username}', 'arn:aws:s3:::home/ab', { 'aws:username': 'a*' })).toBe(false);
  });

  it('splits ARNs into six segments, keeping colons in the resource', () => {
    expect(splitArn('arn:aws:logs:r:1:log-group:g:log-stream:s')).toEqual(['arn', 'aws', 'logs', 'r', '1', 'log-group:g:log-stream:s']);
    expect(splitArn('arn:aws:s3')).toBeUndefined();
  });
});

describe('typed values', () => {
  it('tests IPv4 and IPv6 blocks like node:net', () => {
    const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));
    fc.assert(
      fc.property(v4, v4, fc.integer({ min: 0, max: 32 }), (ip, net, bits) => {
        const list = new BlockList();
        list.addSubnet(net, bits, 'ipv4');
        expect(cidrContains(parseCidr(`${net}/${bits}`)!, parseIp(ip)!)).toBe(list.check(ip, 'ipv4'));
      }),
      { seed: SEED, numRuns: 2000 },
    );
    const hex = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
    const v6 = fc.array(hex, { minLength: 8, maxLength: 8 }).map((g) => g.join(':'));
    fc.assert(
      fc.property(v6, v6, fc.integer({ min: 0, max: 128 }), (ip, net, bits) => {
        const list = new BlockList();
        list.addSubnet(net, bits, 'ipv6');
        expect(cidrContains(parseCidr(`${net}/${bits}`)!, parseIp(ip)!)).toBe(list.check(ip, 'ipv6'));
      }),
      { seed: SEED, numRuns: 2000 },
    );
    expect(parseIp('2001:db8::1')).toEqual(parseIp('2001:0db8:0:0:0:0:0:1'));
    expect(cidrContains(parseCidr('10.0.0.0/8')!, parseIp('2001:db8::1')!)).toBe(false);
    for (const bad of ['256.0.0.1', '01.2.3.4', '1.2.3', 'x', '1::2::3', '10.0.0.0/33']) {
      expect(bad.includes('/') ? parseCidr(bad) : parseIp(bad)).toBeUndefined();
    }
  });

  it('parses ISO 8601 dates and epoch seconds', () => {
    expect(parseDate('2026-01-01T00:00:00Z')).toBe(Date.UTC(2026, 0, 1));
    expect(parseDate('2026-01-01')).toBe(Date.UTC(2026, 0, 1));
    expect(parseDate('2026-01-01T02:00:00+02:00')).toBe(Date.UTC(2026, 0, 1));
    expect(parseDate('1767225600')).toBe(Date.UTC(2026, 0, 1));
    // A time without a zone is ambiguous; IAM's format requires one.
    expect(parseDate('2026-01-01T00:00:00')).toBeUndefined();
    expect(parseDate('January 1, 2026')).toBeUndefined();
  });

  it('parses numbers strictly', () => {
    expect(parseNumber('1.50')).toBe(1.5);
    expect(parseNumber('-3')).toBe(-3);
    expect(parseNumber('12abc')).toBeUndefined();
    expect(parseNumber('')).toBeUndefined();
  });
});

describe('normalizeStatements', () => {
  it('turns strings into lists and condition values into strings', () => {
    const doc: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'A', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': 300 }, Bool: { 'aws:SecureTransport': true } } },
      ],
    };
    expect(normalizeStatements(doc)).toEqual([
      {
        index: 0,
        sid: 'A',
        effect: 'Allow',
        action: ['s3:GetObject'],
        resource: ['arn:aws:s3:::b/*'],
        conditions: [
          { operator: 'NumericLessThan', key: 'aws:MultiFactorAuthAge', values: ['300'] },
          { operator: 'Bool', key: 'aws:SecureTransport', values: ['true'] },
        ],
      },
    ]);
  });

  it('accepts trust policies as resource policies and refuses them as identity policies', () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    expect(normalizeStatements(trust, { kind: 'resource' })[0].principal).toEqual({ Service: 'codebuild.amazonaws.com' });
    expect(() => normalizeStatements(trust, { where: 'trust.json' })).toThrow(/trust\.json: Statement\[0\] names a Principal/);
  });

  it('refuses documents that are not policies, with the document named', () => {
    expect(() => normalizeStatements(null, { where: 'policy.json' })).toThrow(InvalidInput);
    expect(() => normalizeStatements({ Version: '2012-10-17' }, { where: 'policy.json' })).toThrow('policy.json is not an IAM policy document: it has no Statement');
    expect(() => normalizeStatements({ Version: '2020-01-01', Statement: [] })).toThrow('has a Version IAM does not know');
  });
});

describe('evaluate', () => {
  const policy: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Logs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: 'arn:aws:logs:us-east-1:111122223333:log-group:/aws/codebuild/app:*' },
      { Sid: 'Region', Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': 'us-east-1' } } },
    ],
  };

  it('names the deciding statements and says why in one sentence', () => {
    const ok = evaluate({ action: 'logs:PutLogEvents', resource: 'arn:aws:logs:us-east-1:111122223333:log-group:/aws/codebuild/app:log-stream:x', context: { 'aws:RequestedRegion': 'us-east-1' } }, { identity: [policy] });
    expect(ok.decision).toBe('Allow');
    expect(explainDecision(ok)).toBe('allowed by identity document 0 statement 0 (Sid "Logs")');
    const denied = evaluate({ action: 'logs:PutLogEvents', resource: 'arn:aws:logs:us-east-1:111122223333:log-group:/aws/codebuild/app:log-stream:x', context: { 'aws:RequestedRegion': 'eu-west-1' } }, { identity: [policy] });
    expect(explainDecision(denied)).toBe('explicitly denied by identity document 0 statement 1 (Sid "Region")');
  });

  it('gives the same answers when documents are reused across many requests', () => {
    const requests = Array.from({ length: 20_000 }, (_, i) => ({
      action: i % 3 === 0 ? 'logs:CreateLogStream' : i % 3 === 1 ? 'logs:PutLogEvents' : 's3:GetObject',
      resource: `arn:aws:logs:us-east-1:111122223333:log-group:/aws/codebuild/${i % 5 === 0 ? 'other' : 'app'}:log-stream:${i}`,
      context: { 'aws:RequestedRegion': i % 7 === 0 ? 'eu-west-1' : 'us-east-1' },
    }));
    const started = performance.now();
    const counts = { Allow: 0, ImplicitDeny: 0, ExplicitDeny: 0 };
    for (const r of requests) counts[evaluate(r, { identity: [policy] }).decision]++;
    const ms = performance.now() - started;
    console.log(`evaluated ${requests.length} requests in ${ms.toFixed(0)} ms`);
    const expected = { Allow: 0, ImplicitDeny: 0, ExplicitDeny: 0 };
    requests.forEach((_r, i) => {
      if (i % 7 === 0) expected.ExplicitDeny++;
      else if (i % 3 !== 2 && i % 5 !== 0) expected.Allow++;
      else expected.ImplicitDeny++;
    });
    expect(counts).toEqual(expected);
  });

  it('refuses a malformed document naming it by its side and position', () => {
    const bad = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*' }] } as unknown as PolicyDocument;
    expect(() => evaluate({ action: 's3:GetObject', resource: '*', context: {} }, { identity: [policy], boundary: [bad] })).toThrow(
      'boundary document 0: Statement[0] has neither Resource nor NotResource',
    );
  });
});

describe('request context', () => {
  it('reads numbers and booleans from JSON contexts as text and ignores null', () => {
    const doc: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': '600' }, Bool: { 'aws:SecureTransport': 'true' }, Null: { 'aws:SourceVpc': 'true' } } }],
    };
    const context = { 'aws:MultiFactorAuthAge': 300, 'aws:SecureTransport': true, 'aws:SourceVpc': null } as unknown as Record<string, string>;
    expect(evaluate({ action: 's3:GetObject', resource: '*', context }, { identity: [doc] }).decision).toBe('Allow');
  });
});
