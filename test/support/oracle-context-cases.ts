// A seeded generator of (policy, request) pairs over the condition keys `verify` fills from records (issue 18),
// with the values a CodeBuild role session's records give, and over keys no record can tell (listed in the
// request's unknownKeys). Identity policies, a boundary and SCPs (each SCP carries an Allow of everything, so
// that the oracle's real-SCP reading and our Deny-only reading agree).
//
// Not generated, because iam-simulate models them differently (see also oracle-cases.ts):
// - kms keys (kms:ViaService, kms:EncryptionContext:*, kms:CallerAccount): the oracle adds key-policy rules;
//   golden cases cover them;
// - /0 address blocks: the oracle never matches them (golden case ctx-source-ip-any);
// - aws:EpochTime compared with ISO 8601 dates: the oracle compares epoch seconds with milliseconds;
// - ForAnyValue with IfExists on a missing key.
import type { AuthRequest, PolicyDocument, PolicyStatement } from '../../src/model.js';
import { Rng, type KeySpec as BaseKeySpec, type KeyType } from './oracle-cases.js';

/** Request values realistic for a role session; policy values some matching, some not. */
interface KeySpec extends BaseKeySpec {
  /** Only for these request families (default: all). */
  families?: string[];
}

const ROLE = 'arn:aws:iam::111122223333:role/service-role/cb-role';

export const CONTEXT_KEYS: KeySpec[] = [
  { key: 'aws:PrincipalArn', type: 'arn', requestValues: [ROLE, 'arn:aws:iam::444455556666:role/other'], policyValues: [ROLE, 'arn:aws:iam::111122223333:role/*', 'arn:aws:iam::*:role/service-role/cb-*', 'arn:aws:iam::444455556666:role/other'] },
  { key: 'aws:PrincipalAccount', type: 'string', requestValues: ['111122223333', '444455556666'], policyValues: ['111122223333', '444455556666', '1111*'] },
  { key: 'aws:PrincipalType', type: 'string', requestValues: ['AssumedRole', 'User'], policyValues: ['AssumedRole', 'User', 'Assumed*'] },
  { key: 'aws:userid', type: 'string', requestValues: ['AROAEXAMPLEROLEID1234:AWSCodeBuild-0001', 'AROAEXAMPLEROLEID1234:deploy', 'AIDAEXAMPLEUSER12345'], policyValues: ['AROA*', 'AROAEXAMPLEROLEID1234:AWSCodeBuild-*', 'AIDA*', '*:deploy'] },
  { key: 'aws:PrincipalIsAWSService', type: 'bool', requestValues: ['false', 'true'], policyValues: ['false', 'true'] },
  { key: 'aws:ViaAWSService', type: 'bool', requestValues: ['false', 'true'], policyValues: ['false', 'true'] },
  { key: 'aws:CalledVia', type: 'array', requestValues: ['cloudformation.amazonaws.com', 'athena.amazonaws.com'], policyValues: ['cloudformation.amazonaws.com', 'athena.amazonaws.com', '*.amazonaws.com'] },
  { key: 'aws:CalledViaFirst', type: 'string', requestValues: ['cloudformation.amazonaws.com', 'athena.amazonaws.com'], policyValues: ['cloudformation.amazonaws.com', 'athena.*'] },
  { key: 'aws:CalledViaLast', type: 'string', requestValues: ['cloudformation.amazonaws.com', 'dynamodb.amazonaws.com'], policyValues: ['cloudformation.amazonaws.com', 'dynamodb.amazonaws.com'] },
  { key: 'aws:CurrentTime', type: 'date', requestValues: ['2024-03-01T10:02:00Z', '2024-03-02T10:02:00Z', '2019-12-31T23:59:59Z'], policyValues: ['2020-01-01T00:00:00Z', '2024-03-01T12:00:00Z', '2024-03-02', '2024-03-02T11:00:00+01:00'] },
  { key: 'aws:EpochTime', type: 'epoch', requestValues: ['1709287320', '1709373720', '1'], policyValues: ['1', '1709300000', '1709373720'] },
  { key: 'aws:TokenIssueTime', type: 'date', requestValues: ['2024-03-01T09:59:00Z', '2023-12-01T00:00:00Z'], policyValues: ['2024-01-01T00:00:00Z', '2024-03-01T09:59:00Z'] },
  { key: 'aws:SourceIp', type: 'ip', requestValues: ['203.0.113.10', '198.51.100.7', '2001:db8::10'], policyValues: ['203.0.113.0/24', '203.0.113.10/32', '198.51.100.0/25', '2001:db8::/32', '128.0.0.0/1'] },
  { key: 'aws:VpcSourceIp', type: 'ip', requestValues: ['10.0.1.15', '172.16.0.4'], policyValues: ['10.0.0.0/16', '172.16.0.0/12'] },
  { key: 'aws:SourceVpce', type: 'string', requestValues: ['vpce-0abc1234', 'vpce-0def5678'], policyValues: ['vpce-0abc1234', 'vpce-*'] },
  { key: 'aws:RequestedRegion', type: 'string', requestValues: ['us-east-1', 'eu-west-1'], policyValues: ['us-east-1', 'eu-*'] },
  { key: 'aws:ResourceAccount', type: 'string', requestValues: ['111122223333', '444455556666'], policyValues: ['111122223333', '444455556666'] },
  { key: 'aws:SecureTransport', type: 'bool', requestValues: ['true', 'false'], policyValues: ['true', 'false'] },
  { key: 'aws:UserAgent', type: 'string', requestValues: ['aws-cli/2.15.0 md/codebuild', 'aws-sdk-go-v2/1.30.0', 's3.amazonaws.com'], policyValues: ['aws-cli/*', '*codebuild*', 's3.amazonaws.com'] },
  { key: 's3:x-amz-server-side-encryption', type: 'string', requestValues: ['aws:kms', 'AES256'], policyValues: ['aws:kms', 'AES256', 'aws:kms:dsse'], families: ['s3'] },
  { key: 's3:x-amz-server-side-encryption-aws-kms-key-id', type: 'string', requestValues: ['arn:aws:kms:us-east-1:111122223333:key/k1'], policyValues: ['arn:aws:kms:us-east-1:111122223333:key/k1', 'arn:aws:kms:*:111122223333:key/*'], families: ['s3'] },
  { key: 's3:x-amz-acl', type: 'string', requestValues: ['private', 'bucket-owner-full-control'], policyValues: ['bucket-owner-full-control', 'public-read'], families: ['s3'] },
  { key: 's3:TlsVersion', type: 'numeric', requestValues: ['1.2', '1.3'], policyValues: ['1.2', '1.3'], families: ['s3'] },
  { key: 's3:authType', type: 'string', requestValues: ['REST-HEADER', 'REST-QUERY-STRING'], policyValues: ['REST-HEADER'], families: ['s3'] },
  { key: 's3:signatureversion', type: 'string', requestValues: ['AWS4-HMAC-SHA256'], policyValues: ['AWS4-HMAC-SHA256', 'AWS'], families: ['s3'] },
  { key: 'ec2:Subnet', type: 'arn', requestValues: ['arn:aws:ec2:us-east-1:111122223333:subnet/subnet-0abc1234'], policyValues: ['arn:aws:ec2:us-east-1:111122223333:subnet/subnet-0abc1234', 'arn:aws:ec2:*:111122223333:subnet/*', 'arn:aws:ec2:us-east-1:111122223333:subnet/subnet-other'], families: ['ec2'] },
  { key: 'iam:PassedToService', type: 'string', requestValues: ['codebuild.amazonaws.com', 'lambda.amazonaws.com'], policyValues: ['codebuild.amazonaws.com', 'lambda.*'], families: ['iam'] },
];

/** Keys no record tells: absent from the context and listed in unknownKeys. */
export const UNKNOWN_KEYS: KeySpec[] = [
  { key: 'aws:PrincipalOrgID', type: 'string', requestValues: ['o-abc123', 'o-zzz999'], policyValues: ['o-abc123', 'o-*'] },
  { key: 'aws:PrincipalTag/team', type: 'string', requestValues: ['build', 'ops'], policyValues: ['build', 'b*'] },
  { key: 'aws:ResourceTag/stage', type: 'string', requestValues: ['build', 'prod'], policyValues: ['build'] },
];

interface Family {
  name: string;
  action: string;
  resources: string[];
  patterns: string[];
}

const FAMILIES: Family[] = [
  { name: 's3', action: 's3:PutObject', resources: ['arn:aws:s3:::artifacts/app/build-1/app.zip', 'arn:aws:s3:::other/x'], patterns: ['arn:aws:s3:::artifacts/*', 'arn:aws:s3:::*', 'arn:aws:s3:::other/x'] },
  { name: 'logs', action: 'logs:CreateLogStream', resources: ['arn:aws:logs:us-east-1:111122223333:log-group:/aws/codebuild/app:log-stream:s1'], patterns: ['arn:aws:logs:us-east-1:111122223333:log-group:/aws/codebuild/*', 'arn:aws:logs:*:*:*'] },
  { name: 'ec2', action: 'ec2:CreateNetworkInterface', resources: ['arn:aws:ec2:us-east-1:111122223333:subnet/subnet-0abc1234'], patterns: ['arn:aws:ec2:us-east-1:111122223333:subnet/*', 'arn:aws:ec2:*:*:*'] },
  { name: 'iam', action: 'iam:PassRole', resources: ['arn:aws:iam::111122223333:role/app'], patterns: ['arn:aws:iam::111122223333:role/*', 'arn:aws:iam::111122223333:role/app'] },
];

const STRING_OPS = ['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase'];
const DATE_OPS = ['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'];
const NUMERIC_OPS = ['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals'];
const OPS: Record<KeyType, string[]> = {
  string: STRING_OPS,
  arn: ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'StringLike'],
  ip: ['IpAddress', 'NotIpAddress'],
  date: DATE_OPS,
  epoch: [...NUMERIC_OPS, ...DATE_OPS],
  numeric: NUMERIC_OPS,
  bool: ['Bool'],
  array: ['ForAnyValue:StringEquals', 'ForAnyValue:StringLike', 'ForAllValues:StringEquals', 'ForAllValues:StringLike'],
};

export interface ContextCase {
  id: number;
  request: AuthRequest;
  identity: PolicyDocument[];
  boundary?: PolicyDocument[];
  scp?: PolicyDocument[];
  /** The unknown keys of the request, with the values to try for them (absent is tried too). */
  unknown: KeySpec[];
  keys: Set<string>;
}

function condition(rng: Rng, specs: KeySpec[], used: Set<string>): [string, string, string | string[]] {
  const spec = rng.pick(specs);
  used.add(spec.key);
  if (rng.chance(0.08)) return ['Null', spec.key, rng.pick(['true', 'false'])];
  const op = rng.pick(OPS[spec.type]);
  let ifExists = '';
  if (!op.startsWith('ForAnyValue') && rng.chance(0.15)) ifExists = 'IfExists';
  const values = rng.some(spec.policyValues, 2);
  return [`${op}${ifExists}`, spec.key, values.length === 1 ? values[0] : values];
}

function statement(rng: Rng, family: Family, specs: KeySpec[], denyShare: number, used: Set<string>): PolicyStatement {
  const s: PolicyStatement = { Effect: rng.chance(denyShare) ? 'Deny' : 'Allow', Action: rng.pick([family.action, '*', `${family.action.split(':')[0]}:*`]), Resource: rng.chance(0.4) ? '*' : rng.pick(family.patterns) };
  const n = rng.chance(0.25) ? 0 : 1 + rng.int(3);
  if (n > 0) {
    const block: NonNullable<PolicyStatement['Condition']> = {};
    for (let k = 0; k < n; k++) {
      const [op, key, values] = condition(rng, specs, used);
      block[op] = { ...(block[op] ?? {}), [key]: values };
    }
    s.Condition = block;
  }
  return s;
}

const doc = (statements: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement: statements });

export function* generateContextCases(seed: number, count: number): Generator<ContextCase> {
  const rng = new Rng(seed);
  for (let id = 0; id < count; id++) {
    const family = rng.pick(FAMILIES);
    const known = CONTEXT_KEYS.filter((k) => !k.families || k.families.includes(family.name));
    const context: Record<string, string | string[]> = {};
    for (const spec of known) {
      if (!rng.chance(0.6)) continue;
      context[spec.key] = spec.type === 'array' ? rng.subset(spec.requestValues) : rng.pick(spec.requestValues);
    }
    const unknown = rng.chance(0.3) ? rng.subset(UNKNOWN_KEYS) : [];
    // Unknown keys weigh more, so that enough statements read them.
    const specs = unknown.length && rng.chance(0.8) ? [...known, ...Array.from({ length: 8 }, () => unknown).flat()] : known;
    const used = new Set<string>();
    const request: AuthRequest = { action: family.action, resource: rng.pick(family.resources), context };
    if (unknown.length) request.unknownKeys = unknown.map((u) => u.key);
    const identity = [doc(Array.from({ length: 1 + rng.int(3) }, () => statement(rng, family, specs, 0.3, used)))];
    const c: ContextCase = { id, request, identity, unknown, keys: used };
    if (rng.chance(0.3)) {
      const statements: PolicyStatement[] = rng.chance(0.5) ? [{ Effect: 'Allow', Action: '*', Resource: '*' }] : [];
      const extra = (statements.length === 0 ? 1 : 0) + rng.int(2);
      for (let k = 0; k < extra; k++) statements.push(statement(rng, family, specs, 0.5, used));
      c.boundary = [doc(statements)];
    }
    if (rng.chance(0.25)) c.scp = [doc([{ Effect: 'Allow', Action: '*', Resource: '*' }, ...Array.from({ length: 1 + rng.int(2) }, () => ({ ...statement(rng, family, specs, 1, used), Effect: 'Deny' as const }))])];
    yield c;
  }
}
