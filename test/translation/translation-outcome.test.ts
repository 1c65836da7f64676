// Authorization outcomes (src/translation/data/error-outcomes.json): an error raised before authorization
// proves nothing, so the call is listed as "not proven" and never granted, unless the same need also
// succeeded. Each entry of the table names its source.
import { describe, expect, it } from 'vitest';
import type { ReadStats, TrailRecord, WeightedRecord } from '../../src/model.js';
import { renderEvidence } from '../../src/rendering/evidence.js';
import { renderReport } from '../../src/rendering/report.js';
import { synthesize } from '../../src/synthesis/synthesize.js';
import { aggregateRecords } from '../../src/translation/collect.js';
import { toEvidence } from '../../src/translation/aggregate.js';
import table from '../../src/translation/data/error-outcomes.json' with { type: 'json' };
import { classifyError } from '../../src/translation/outcome.js';
import { translate } from '../../src/translation/translate.js';

const A = '123456789012';
const B1 = '11111111-1111-1111-1111-111111111111';

function getObject(key: string, errorCode?: string, build = B1): TrailRecord {
  return {
    eventVersion: '1.09',
    eventTime: '2024-03-01T10:00:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'us-east-1',
    eventType: 'AwsApiCall',
    recipientAccountId: A,
    eventID: `e-${key}-${errorCode ?? 'ok'}`,
    userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/cb/AWSCodeBuild-${build}`, accountId: A },
    requestParameters: { bucketName: 'artifacts', key },
    ...(errorCode ? { errorCode, errorMessage: 'x' } : {}),
  };
}

async function run(records: TrailRecord[]) {
  async function* gen(): AsyncGenerator<WeightedRecord> {
    for (const [i, record] of records.entries()) yield { record, count: 1, firstSeen: record.eventTime as string, lastSeen: record.eventTime as string, origin: `t#${i}` };
  }
  const read: ReadStats = { files: 1, filesSkippedByName: 0, filesSkippedByContent: 0, digestFiles: 0, records: records.length, matched: records.length, skipped: {}, fileProblems: {}, notes: [] };
  const ev = toEvidence(await aggregateRecords(gen()), 'cb', {}, read, []);
  const syn = synthesize(ev, { resources: 'exact' });
  const extras = { boundaryWarnings: [], trustWarnings: [], projects: [] };
  const empty = { Version: '2012-10-17' as const, Statement: [] };
  const trust = { Version: '2012-10-17' as const, Statement: [{ Effect: 'Allow' as const, Condition: {} }] };
  return { ev, syn, evidence: JSON.parse(renderEvidence(ev, syn, extras)) as Record<string, unknown>, report: renderReport(ev, syn, extras, empty, trust) };
}

// The codes of issue 16, item 3: none of them may produce a grant.
const PRE_AUTH = [
  'ExpiredTokenException',
  'UnrecognizedClientException',
  'AuthFailure',
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
  'MissingAuthenticationTokenException',
  'IncompleteSignatureException',
  'AllAccessDisabled',
  'OptInRequired',
  'ThrottlingException',
  'Client.AuthFailure',
];

describe('error codes raised before authorization', () => {
  for (const code of PRE_AUTH) {
    it(`${code} is not proven and never granted`, async () => {
      const t = translate(getObject('a.zip', code));
      expect(t.kind === 'call' && t.outcome).toBe('unproven');
      const { syn, evidence, report } = await run([getObject('a.zip', code)]);
      expect(syn.statements).toEqual([]);
      expect(syn.unproven.map((f) => [f.action, f.resource])).toEqual([['s3:GetObject', 'arn:aws:s3:::artifacts/a.zip']]);
      expect((evidence.notProven as Array<{ error: string }>)[0].error).toBe(code.replace(/^Client\./, ''));
      expect(report).toContain('**Calls not proven, not granted** (1 call, 1 event)');
    });
  }

  it('KMS.AccessDeniedException is a denial, listed as denied, never granted', async () => {
    expect(classifyError('KMS.AccessDeniedException').outcome).toBe('denied');
    const { syn } = await run([getObject('a.zip', 'KMS.AccessDeniedException')]);
    expect(syn.statements).toEqual([]);
    expect(syn.denied).toHaveLength(1);
  });

  it('the same need that also succeeded is granted once, and not listed as not proven', async () => {
    const { syn } = await run([getObject('a.zip', 'ThrottlingException'), getObject('a.zip')]);
    expect(syn.statements.flatMap((s) => s.resources)).toEqual(['arn:aws:s3:::artifacts/a.zip']);
    expect(syn.unproven).toEqual([]);
  });

  it('an unproven call does not widen or add to what succeeded', async () => {
    const { syn } = await run([getObject('a.zip'), getObject('b.zip', 'ExpiredTokenException')]);
    expect(syn.statements.flatMap((s) => s.resources)).toEqual(['arn:aws:s3:::artifacts/a.zip']);
    expect(syn.unproven.map((f) => f.resource)).toEqual(['arn:aws:s3:::artifacts/b.zip']);
  });

  it('errors raised after authorization still prove the permission (NoSuchKey, ResourceNotFoundException)', () => {
    for (const code of ['NoSuchKey', 'ResourceNotFoundException', 'EntityAlreadyExists', 'ResourceAlreadyExistsException']) {
      expect(classifyError(code).outcome, code).toBe('failed');
    }
  });

  it('an errorCode that is not a string (403, an object) proves nothing and is never granted', async () => {
    for (const code of [403, { code: 'AccessDenied' }, ['AccessDenied'], true]) {
      expect(classifyError(code).outcome, JSON.stringify(code)).toBe('unproven');
      const record = { ...getObject('a.zip'), errorCode: code } as unknown as TrailRecord;
      const { syn } = await run([record]);
      expect(syn.statements, JSON.stringify(code)).toEqual([]);
    }
  });

  it('validation errors are not proven (the stated choice)', () => {
    for (const code of ['ValidationException', 'ValidationError', 'InvalidParameterValue']) expect(classifyError(code).outcome, code).toBe('unproven');
  });

  it('the error shown is the table spelling, never the log text', async () => {
    const hostile = 'ThrottlingException';
    const { report } = await run([getObject('a.zip', ` ${hostile.toLowerCase()} `)]);
    // The table's spelling, as a code span in the report's Action needed list.
    expect(report).toContain(': `ThrottlingException` (1 event)');
  });

  it('every entry names a source the table describes', () => {
    const t = table as unknown as { sources: Record<string, string>; codes: Record<string, { outcome: string; source: string }>; patterns: Array<{ outcome: string; source: string }> };
    for (const [code, e] of Object.entries(t.codes)) {
      expect(t.sources[e.source], code).toMatch(/\w/);
      expect(['denied', 'unproven'], code).toContain(e.outcome);
    }
    for (const p of t.patterns) expect(t.sources[p.source]).toMatch(/\w/);
  });
});
