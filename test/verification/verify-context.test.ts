// The request contexts verify replays (issue 18), below the CLI: what a record tells per key, that the values
// kept per fact do not depend on record order, distinct counting, time windows inside a fact's span, and
// what happens when more values were seen than kept.
import { withoutImplied } from '../../src/translation/implied.js';
import { describe, expect, it } from 'vitest';
import type { Evidence, PolicyDocument, TrailRecord, WeightedRecord } from '../../src/model.js';
import { aggregateRecords } from '../../src/translation/collect.js';
import { toEvidence } from '../../src/translation/aggregate.js';
import { readFileSync } from 'node:fs';
import { GLOBAL_KEYS, recordGroups, SERVICE_KEYS } from '../../src/verification/context-keys.js';
import { replay } from '../../src/verification/replay.js';
import { addSeen, decodeEntry, newSeen, seenOf, SEEN_LIMIT, serviceEntry } from '../../src/verification/seen.js';
import { repoPath } from '../support/paths.js';

const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/cb-role`;

function record(over: Partial<TrailRecord> = {}, build = '00000001-1111-2222-3333-444444444444'): TrailRecord {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROAEXAMPLE:AWSCodeBuild-${build}`,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/cb-role/AWSCodeBuild-${build}`,
      accountId: ACCOUNT,
      sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE, accountId: ACCOUNT }, attributes: { creationDate: '2024-03-01T00:00:00Z', mfaAuthenticated: 'false' } },
    },
    eventTime: '2024-03-01T10:00:00Z',
    eventSource: 'logs.amazonaws.com',
    eventName: 'CreateLogStream',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2',
    requestParameters: { logGroupName: '/aws/codebuild/app', logStreamName: build },
    eventID: `ev-${build}`,
    eventType: 'AwsApiCall',
    recipientAccountId: ACCOUNT,
    ...over,
  };
}

async function evidenceOf(records: TrailRecord[]): Promise<Evidence> {
  async function* gen(): AsyncIterable<WeightedRecord> {
    for (const r of records) yield { record: r, count: 1, firstSeen: r.eventTime!, lastSeen: r.eventTime!, origin: 'test' };
  }
  const read = { files: 0, filesSkippedByName: 0, filesSkippedByContent: 0, digestFiles: 0, records: records.length, matched: records.length, skipped: {}, fileProblems: {}, notes: [] };
  return toEvidence(await aggregateRecords(gen(), { context: true }), ROLE, {}, read, []);
}

const doc = (...Statement: PolicyDocument['Statement']): PolicyDocument => ({ Version: '2012-10-17', Statement });
const allowLogs = { Effect: 'Allow' as const, Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' };

describe('what a record tells (context-keys table)', () => {
  it('a direct call from the build: principal, address, no endpoint, not via a service', () => {
    const g = recordGroups(record());
    expect(g.principal).toEqual({ 'aws:PrincipalArn': ROLE, 'aws:PrincipalAccount': ACCOUNT, 'aws:PrincipalType': 'AssumedRole', 'aws:userid': 'AROAEXAMPLE:AWSCodeBuild-00000001-1111-2222-3333-444444444444', 'aws:username': null });
    expect(g.network).toMatchObject({ 'aws:SourceIp': '203.0.113.10', 'aws:VpcSourceIp': null, 'aws:SourceVpce': null, 'aws:SourceVpc': null, 'aws:ViaAWSService': 'false', 'aws:CalledVia': null });
    expect(g.session).toMatchObject({ 'aws:SourceIdentity': null, 'aws:TokenIssueTime': '2024-03-01T00:00:00Z' });
  });

  it('through a VPC endpoint: aws:SourceIp absent, aws:VpcSourceIp and aws:SourceVpce set, aws:SourceVpc unknown', () => {
    const g = recordGroups(record({ sourceIPAddress: '10.0.1.15', vpcEndpointId: 'vpce-0abc1234' }));
    expect(g.network['aws:SourceIp']).toBeNull();
    expect(g.network['aws:VpcSourceIp']).toBe('10.0.1.15');
    expect(g.network['aws:SourceVpce']).toBe('vpce-0abc1234');
    expect('aws:SourceVpc' in g.network).toBe(false);
  });

  it('a call a service made on the role\'s behalf: via a service, CalledVia only for services that set it, address not told', () => {
    const viaCfn = recordGroups(record({ sourceIPAddress: 'cloudformation.amazonaws.com', userIdentity: { ...record().userIdentity, invokedBy: 'cloudformation.amazonaws.com' } }));
    expect(viaCfn.network).toMatchObject({ 'aws:ViaAWSService': 'true', 'aws:CalledVia': ['cloudformation.amazonaws.com'], 'aws:CalledViaFirst': 'cloudformation.amazonaws.com' });
    expect('aws:SourceIp' in viaCfn.network).toBe(false);
    const viaS3 = recordGroups(record({ sourceIPAddress: 's3.amazonaws.com', userIdentity: { ...record().userIdentity, invokedBy: 's3.amazonaws.com' } }));
    expect(viaS3.network).toMatchObject({ 'aws:ViaAWSService': 'true', 'aws:CalledVia': null });
  });

  it('rows of a query engine (no sourceIPAddress, no principalId): those keys are unknown, not absent', () => {
    const r = record();
    delete r.sourceIPAddress;
    delete r.userIdentity!.principalId;
    const g = recordGroups(r);
    expect(g.network).toEqual({ 'aws:ViaAWSService': 'false', 'aws:CalledVia': null, 'aws:CalledViaFirst': null, 'aws:CalledViaLast': null });
    expect('aws:userid' in g.principal).toBe(false);
  });

  it('an oversized value (a hostile log) is not kept: the key is unknown', () => {
    expect('aws:UserAgent' in recordGroups(record({ userAgent: 'x'.repeat(5000) })).agent).toBe(false);
  });

  it('a hostile encryption context (thousands of keys, __proto__, odd names) stays bounded and literal', () => {
    const ec: Record<string, string> = { ['__proto__']: 'x', 'a"b<c>': 'y' };
    for (let k = 0; k < 5000; k++) ec[`k${k}`] = 'v';
    const r = record({ eventSource: 'kms.amazonaws.com', eventName: 'Decrypt', requestParameters: JSON.parse(JSON.stringify({ encryptionContext: ec })) as Record<string, unknown> });
    const entry = decodeEntry(serviceEntry('kms:Decrypt', r)!)!;
    expect(Object.keys(entry.values).filter((k) => k.startsWith('kms:EncryptionContext:')).length).toBeLessThanOrEqual(64);
    expect((entry.values['kms:EncryptionContextKeys'] as string[]).length).toBeLessThanOrEqual(64);
    expect(Object.getPrototypeOf(entry.values)).toBe(Object.prototype);
  });

  it('AssumeRole tells sts:RoleSessionName from its request', () => {
    const r = record({ eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`, roleSessionName: 'deploy-1' } });
    expect(decodeEntry(serviceEntry('sts:AssumeRole', r)!)!.values['sts:RoleSessionName']).toBe('deploy-1');
  });

  it('an AWS-internal source address is not an address', () => {
    expect('aws:SourceIp' in recordGroups(record({ sourceIPAddress: 'AWS Internal' })).network).toBe(false);
  });
});

describe('values kept per fact', () => {
  it('do not depend on the order they arrive in, beyond the limit too', () => {
    const entries = Array.from({ length: 3 * SEEN_LIMIT }, (_, k) => `principal\u0000${String(k * 7919 % 100_003).padStart(6, '0')}`);
    const a = newSeen();
    const b = newSeen();
    for (const e of entries) addSeen(a, [e]);
    for (const e of [...entries].reverse()) addSeen(b, [e]);
    expect(seenOf(a)).toEqual(seenOf(b));
    expect(seenOf(a).more).toBe(true);
    expect(seenOf(a).entries).toHaveLength(SEEN_LIMIT);
  });
});

describe('replay', () => {
  it('counts facts that differ only in outcome or origin once', async () => {
    const ok = record();
    const failed = record({ errorCode: 'ResourceAlreadyExistsException', eventID: 'ev-2', eventTime: '2024-03-01T10:05:00Z' });
    const ev = await evidenceOf([ok, failed]);
    expect(ev.facts.filter((f) => f.action === 'logs:CreateLogStream')).toHaveLength(2);
    const r = replay(ev, [doc(allowLogs)], { implied: false });
    expect(r.requests).toBe(1);
    expect(r.events).toBe(2);
  });

  it('replays implied needs and counts them apart: a granted one must be allowed, a listed-only one is reported', async () => {
    const ev = await evidenceOf([record()]);
    const onlyCreate = [doc({ Effect: 'Allow', Action: 'logs:CreateLogStream', Resource: '*' })];
    const r = replay(ev, onlyCreate);
    expect(r.byKind).toEqual({ observed: 1, inferred: 0, implied: 1 });
    // generate grants PutLogEvents after CreateLogStream (origin "implied"): a policy without it fails.
    expect(r.denied.map((d) => [d.action, d.kind])).toEqual([['logs:PutLogEvents', 'implied']]);
    expect(r.impliedDenied).toEqual([]);
    // --no-infer lists it without granting it: then its denial is reported, not failed.
    const listed = replay(withoutImplied(ev), onlyCreate);
    expect(listed.byKind).toEqual({ observed: 1, inferred: 0, implied: 1 });
    expect(listed.denied).toEqual([]);
    expect(listed.impliedDenied.map((d) => d.action)).toEqual(['logs:PutLogEvents']);
  });

  it('a time window strictly inside a fact\'s span is found (thresholds between first and last event)', async () => {
    const ev = await evidenceOf([record(), record({ eventTime: '2024-03-10T10:00:00Z', eventID: 'ev-late' })]);
    const window = doc(allowLogs, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2024-03-04T00:00:00Z' }, DateLessThan: { 'aws:CurrentTime': '2024-03-06T00:00:00Z' } } });
    const r = replay(ev, [window], { implied: false });
    expect(r.denied.map((d) => d.action)).toEqual(['logs:CreateLogStream']);
    expect(r.denied[0].context['aws:CurrentTime']).toMatch(/^2024-03-0[4-6]T/);
    const outside = doc(allowLogs, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2024-03-11T00:00:00Z' } } });
    expect(replay(ev, [outside], { implied: false }).denied).toEqual([]);
  });

  it('one session among many that a Deny names is found (values kept together per record)', async () => {
    const builds = Array.from({ length: 50 }, (_, k) => `${String(k).padStart(8, '0')}-1111-2222-3333-444444444444`);
    const ev = await evidenceOf(builds.map((b) => record({ requestParameters: { logGroupName: '/aws/codebuild/app', logStreamName: 'shared' }, eventID: `ev-${b}` }, b)));
    const policy = doc(allowLogs, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringLike: { 'aws:userid': '*:AWSCodeBuild-00000042-*' } } });
    const r = replay(ev, [policy], { implied: false });
    expect(r.requests).toBe(1);
    expect(r.denied).toHaveLength(1);
    expect(r.denied[0].context['aws:userid']).toBe('AROAEXAMPLE:AWSCodeBuild-00000042-1111-2222-3333-444444444444');
  });

  it('when more values were seen than kept, a key the policy reads is undecided', async () => {
    const ev = await evidenceOf([record()]);
    ev.facts[0].seen!.more = true;
    const policy = doc(allowLogs, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } });
    const r = replay(ev, [policy], { implied: false });
    expect(r.undecided.map((u) => u.keys)).toEqual([['aws:SourceIp']]);
    // Keys the policy does not read are not affected.
    expect(replay(ev, [doc(allowLogs)], { implied: false }).undecided).toEqual([]);
  });

  it('--assume fills only keys the records cannot tell', async () => {
    const ev = await evidenceOf([record()]);
    const policy = doc(allowLogs, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } });
    expect(replay(ev, [policy], { implied: false }).undecidedKeys).toEqual(['aws:PrincipalOrgID']);
    expect(replay(ev, [policy], { implied: false, assume: { 'aws:principalorgid': ['o-abc123'] } }).denied).toEqual([]);
    expect(replay(ev, [policy], { implied: false, assume: { 'aws:PrincipalOrgID': ['o-x'] } }).denied).toHaveLength(1);
  });

  it('a hostile user agent is withheld from what verify prints', async () => {
    const ev = await evidenceOf([record({ userAgent: '"><script>alert(1)</script>' })]);
    const policy = doc(allowLogs, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringLike: { 'aws:UserAgent': '*script*' } } });
    const r = replay(ev, [policy], { implied: false });
    expect(r.denied[0].context['aws:UserAgent']).toBe('(value withheld)');
  });
});

describe('docs/verify.md', () => {
  it('names every key of the context table', () => {
    const text = readFileSync(repoPath('docs', 'verify.md'), 'utf8');
    const keys = [...GLOBAL_KEYS.map((r) => r.key), ...SERVICE_KEYS.map((r) => r.key.replace(/:\*$/, ':'))];
    expect(keys.filter((k) => !text.includes(`\`${k}`))).toEqual([]);
  });
});
