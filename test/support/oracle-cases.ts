// A seeded generator of (policy, request) pairs for the oracle agreement test. The vocabulary is small on
// purpose (a few services, ARNs, keys and values) so that patterns, variables and conditions actually hit.
//
// Classes NOT generated, because iam-simulate models them differently from IAM's documentation (each is
// covered by a golden case in test/cases/evaluator instead):
// - wildcards, variables or case changes in the partition/service/region/account segments other than
//   whole-segment or prefix `*` in region/account: the oracle compares those segments case-insensitively;
// - wildcards or variables in the resource-type part of the resource segment (before the first `/` or
//   `:`): the oracle requires that part literally;
// - short ARNs (fewer than six segments) in NotResource: the oracle never lets their mismatch count;
// - `ForAnyValue:...IfExists` on a missing key: the oracle ignores IfExists under a set operator, IAM
//   documents IfExists as true for a missing key;
// - dates mixing epoch seconds with ISO 8601: the oracle compares epoch seconds with milliseconds;
// - empty-string context values used as policy variables: the oracle treats "" as missing;
// - resource patterns that are not ARNs, actions with wildcards in the service prefix, `${key,'x'}`
//   defaults without the documented ", " separator, IfExists on Null: refused or undefined in IAM.
// - the kms and sts services: the oracle adds service-specific rules (key policies, trust) beyond
//   identity policies and boundaries;
// - policy Version 2008-10-17 (the oracle resolves variables in any Version) and requests with
//   `principalArn` (we fill aws:PrincipalArn from it, the oracle does not).
// Golden cases that show these differences carry an "oracleDiffers" note; the oracle test checks them.
import type { AuthRequest, PolicyDocument, PolicyStatement } from '../../src/model.js';

export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** mulberry32: small, fast, and good enough for test data. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), 1 | t);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  some<T>(items: readonly T[], max: number): T[] {
    const n = 1 + this.int(max);
    const out: T[] = [];
    for (let k = 0; k < n; k++) {
      const v = this.pick(items);
      if (!out.includes(v)) out.push(v);
    }
    return out;
  }
  subset<T>(items: readonly T[]): T[] {
    return items.filter(() => this.chance(0.5));
  }
}

export interface OracleCase {
  id: number;
  request: AuthRequest;
  identity: PolicyDocument[];
  boundary?: PolicyDocument[];
  features: Set<string>;
}

const REGIONS = ['us-east-1', 'eu-west-1'];
const ACCOUNTS = ['111122223333', '444455556666'];

interface Family {
  service: string;
  actions: string[];
  /** Region and account segments are empty for S3. */
  global?: 'none' | 'region';
  product: string;
  tails: string[];
}

const FAMILIES: Family[] = [
  { service: 's3', actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], global: 'none', product: '', tails: ['artifacts/build/a.zip', 'artifacts/build/A.zip', 'artifacts/alice/notes', 'cache/app/x', 'Artifacts/build/a.zip'] },
  { service: 'logs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], product: 'log-group:', tails: ['/aws/codebuild/app:log-stream:s1', '/aws/codebuild/App:log-stream:s2', '/aws/codebuild/api:log-stream:s1'] },
  { service: 'codebuild', actions: ['codebuild:StartBuild', 'codebuild:BatchGetBuilds'], product: 'project/', tails: ['app', 'App', 'api', 'app2'] },
  { service: 'ecr', actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], product: 'repository/', tails: ['app', 'base/node'] },
  { service: 'ssm', actions: ['ssm:GetParameters'], product: 'parameter/', tails: ['app/db', 'app/key', 'build/token'] },
  { service: 'iam', actions: ['iam:PassRole', 'iam:GetRole'], global: 'region', product: 'role/', tails: ['build', 'deploy', 'Build', 'service/app'] },
];

/** Actions that take no resource: the request resource is "*". */
const WILDCARD_ONLY = ['ecr:GetAuthorizationToken', 'ec2:DescribeInstances', 'codebuild:ListProjects', 'logs:DescribeLogGroups'];

interface RequestArn {
  family: Family;
  region: string;
  account: string;
  tail: string;
}

function arnOf(r: RequestArn, region = r.region, account = r.account, tail = r.tail): string {
  return `arn:aws:${r.family.service}:${region}:${account}:${r.family.product}${tail}`;
}

function randomArn(rng: Rng, family = rng.pick(FAMILIES)): RequestArn {
  return {
    family,
    region: family.global ? '' : rng.pick(REGIONS),
    account: family.global === 'none' ? '' : rng.pick(ACCOUNTS),
    tail: rng.pick(family.tails),
  };
}

function flipCase(rng: Rng, text: string): string {
  const letters = [...text].map((c, k) => (/[a-z]/i.test(c) ? k : -1)).filter((k) => k >= 0);
  if (letters.length === 0) return text;
  const k = rng.pick(letters);
  const c = text[k];
  return text.slice(0, k) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + text.slice(k + 1);
}

const VARIABLES = ['${aws:username}', '${aws:PrincipalTag/team}', "${aws:username, 'app'}", "${aws:PrincipalTag/team, 'build'}"];

function tailPattern(rng: Rng, tail: string, f: Set<string>): string {
  switch (rng.int(8)) {
    case 0:
      return tail;
    case 1: {
      f.add('resource-star-suffix');
      return tail.slice(0, rng.int(tail.length + 1)) + '*';
    }
    case 2: {
      f.add('resource-question-mark');
      const k = rng.int(tail.length);
      return tail.slice(0, k) + '?' + tail.slice(k + 1);
    }
    case 3:
      f.add('resource-case');
      return flipCase(rng, tail);
    case 4: {
      // Replace one path component with a variable.
      f.add('variable-resource');
      const parts = tail.split('/');
      const k = rng.int(parts.length);
      const v = rng.pick(VARIABLES);
      if (v.includes(',')) f.add('variable-default');
      parts[k] = v;
      return parts.join('/');
    }
    case 5:
      f.add('variable-escape');
      return tail.slice(0, rng.int(tail.length + 1)) + rng.pick(['${*}', '${?}', '${$}']);
    case 6:
      f.add('resource-star-middle');
      return tail.replace(/[a-z]+/i, (m) => m.slice(0, 1) + '*');
    default:
      return '*';
  }
}

function resourcePattern(rng: Rng, target: RequestArn | undefined, notResource: boolean, f: Set<string>): string {
  if (rng.chance(0.08)) {
    f.add('resource-star');
    return '*';
  }
  const base = target && rng.chance(0.8) ? target : randomArn(rng);
  if (!notResource && rng.chance(0.03)) {
    f.add('resource-short-arn');
    return `arn:aws:${base.family.service}`;
  }
  let region = base.region;
  let account = base.account;
  if (!base.family.global && rng.chance(0.2)) {
    f.add('resource-segment-wildcard');
    region = rng.pick(['*', 'us-*', 'eu-west-?', rng.pick(REGIONS)]);
  }
  if (base.family.global !== 'none' && rng.chance(0.2)) {
    f.add('resource-segment-wildcard');
    account = rng.pick(['*', '1111*', rng.pick(ACCOUNTS)]);
  }
  return arnOf(base, region, account, tailPattern(rng, base.tail, f));
}

function actionPattern(rng: Rng, action: string, f: Set<string>): string {
  const [service, name] = action.split(':');
  switch (rng.int(9)) {
    case 0:
    case 1:
      return action;
    case 2:
      f.add('action-case');
      return [...action].map((c) => (rng.chance(0.5) ? c.toUpperCase() : c.toLowerCase())).join('');
    case 3:
      f.add('action-star');
      return `${service}:*`;
    case 4:
      f.add('action-star');
      return `${service}:${name.slice(0, 1 + rng.int(name.length))}*`;
    case 5:
      f.add('action-star');
      return `${service}:*${name.slice(rng.int(name.length))}`;
    case 6: {
      f.add('action-question-mark');
      const k = rng.int(name.length);
      return `${service}:${name.slice(0, k)}?${name.slice(k + 1)}`;
    }
    case 7:
      f.add('action-all');
      return '*';
    default: {
      const other = rng.chance(0.5) ? rng.pick(FAMILIES.flatMap((x) => x.actions)) : rng.pick(WILDCARD_ONLY);
      return rng.chance(0.3) ? other.toLowerCase() : other;
    }
  }
}

// ---- condition keys ----

export type KeyType = 'string' | 'arn' | 'ip' | 'date' | 'epoch' | 'numeric' | 'bool' | 'array';

export interface KeySpec {
  key: string;
  type: KeyType;
  requestValues: string[];
  policyValues: string[];
}

const KEYS: KeySpec[] = [
  { key: 'aws:RequestedRegion', type: 'string', requestValues: ['us-east-1', 'eu-west-1', 'US-EAST-1'], policyValues: ['us-east-1', 'eu-west-1', 'us-*', '*-west-?', 'US-East-1'] },
  { key: 'aws:PrincipalTag/team', type: 'string', requestValues: ['build', 'app', 'Build'], policyValues: ['build', 'app', 'b*', '${aws:username}', "${aws:username, 'build'}"] },
  { key: 'aws:username', type: 'string', requestValues: ['alice', 'app', 'build'], policyValues: ['alice', 'app', 'a*', '?pp', '${aws:PrincipalTag/team}'] },
  { key: 'aws:SourceAccount', type: 'string', requestValues: ['111122223333', '444455556666'], policyValues: ['111122223333', '1111*', '444455556666'] },
  { key: 'aws:SourceArn', type: 'arn', requestValues: ['arn:aws:codebuild:us-east-1:111122223333:project/app', 'arn:aws:codebuild:us-east-1:111122223333:project/App', 'arn:aws:codebuild:eu-west-1:444455556666:project/api'], policyValues: ['arn:aws:codebuild:us-east-1:111122223333:project/app', 'arn:aws:codebuild:*:111122223333:project/*', 'arn:aws:codebuild:us-east-?:*:project/app', 'arn:aws:codebuild:*:*:project/${aws:username}', 'arn:aws:codebuild:*:*:*', 'arn:aws:codebuild:*'] },
  { key: 'aws:PrincipalArn', type: 'arn', requestValues: ['arn:aws:iam::111122223333:role/build', 'arn:aws:iam::111122223333:role/deploy'], policyValues: ['arn:aws:iam::*:role/build', 'arn:aws:iam::111122223333:role/*', 'arn:aws:iam::111122223333:role/${aws:username}', 'arn:aws:iam::111122223333:role/Build'] },
  { key: 'aws:SourceIp', type: 'ip', requestValues: ['10.1.2.3', '10.200.0.1', '192.168.1.20', '2001:db8::1', '2001:db8:ffff::2', '203.0.113.9'], policyValues: ['10.0.0.0/8', '10.1.0.0/16', '192.168.0.0/16', '2001:db8::/32', '2001:db8::/48', '203.0.113.9/32'] },
  { key: 'aws:CurrentTime', type: 'date', requestValues: ['2026-01-01T00:00:00Z', '2026-06-15T12:30:00Z', '2025-12-31T23:59:59Z', '2026-06-15'], policyValues: ['2026-01-01T00:00:00Z', '2026-01-01', '2026-06-15T14:30:00+02:00', '2025-06-01T00:00:00Z'] },
  { key: 'aws:EpochTime', type: 'epoch', requestValues: ['1767225600', '1780000000'], policyValues: ['1767225600', '1770000000', '1790000000'] },
  { key: 'aws:MultiFactorAuthAge', type: 'numeric', requestValues: ['0', '300', '3600', '1.5', '86400'], policyValues: ['300', '3600', '1.50', '0'] },
  { key: 'aws:SecureTransport', type: 'bool', requestValues: ['true', 'false', 'TRUE'], policyValues: ['true', 'false', 'True'] },
  { key: 'aws:TagKeys', type: 'array', requestValues: ['env', 'team', 'Owner', 'cost'], policyValues: ['env', 'team', 'owner', 'Owner', 'c*', '*'] },
  { key: 'aws:CalledVia', type: 'array', requestValues: ['cloudformation.amazonaws.com', 'athena.amazonaws.com'], policyValues: ['cloudformation.amazonaws.com', '*.amazonaws.com', 'athena.*'] },
];

const STRING_OPS = ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'];
const OPS: Record<KeyType, string[]> = {
  string: STRING_OPS,
  arn: ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'StringEquals', 'StringLike'],
  ip: ['IpAddress', 'NotIpAddress'],
  date: ['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'],
  epoch: ['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'],
  numeric: ['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals'],
  bool: ['Bool'],
  array: STRING_OPS,
};

function condition(rng: Rng, f: Set<string>): [string, string, string[]] {
  const spec = rng.pick(KEYS);
  let key = spec.key;
  if (rng.chance(0.2)) {
    f.add('condition-key-case');
    key = rng.chance(0.5) ? key.toUpperCase() : key.toLowerCase();
  }
  if (rng.chance(0.07)) {
    f.add('op:Null');
    return ['Null', key, [rng.pick(['true', 'false'])]];
  }
  let op: string;
  if (spec.type === 'string' && rng.chance(0.03)) op = 'BinaryEquals';
  else op = rng.pick(OPS[spec.type]);
  f.add(`op:${op}`);
  const values = rng.some(op === 'BinaryEquals' ? spec.requestValues : spec.policyValues, 3);
  if (values.some((v) => v.includes('${'))) f.add('variable-condition');
  let set = '';
  if (rng.chance(spec.type === 'array' ? 0.85 : 0.08)) {
    set = rng.chance(0.5) ? 'ForAllValues:' : 'ForAnyValue:';
    f.add(set.slice(0, -1));
  } else if (spec.type === 'array') {
    f.add('single-valued-operator-on-multivalued-key');
  }
  let ifExists = '';
  // ForAnyValue with IfExists is excluded (see the header).
  if (set !== 'ForAnyValue:' && rng.chance(0.2)) {
    ifExists = 'IfExists';
    f.add('IfExists');
  }
  return [`${set}${op}${ifExists}`, key, values];
}

function conditionBlock(rng: Rng, f: Set<string>): PolicyStatement['Condition'] | undefined {
  const roll = rng.next();
  const n = roll < 0.45 ? 0 : roll < 0.8 ? 1 : roll < 0.95 ? 2 : 3;
  if (n === 0) return undefined;
  const block: NonNullable<PolicyStatement['Condition']> = {};
  for (let k = 0; k < n; k++) {
    const [op, key, values] = condition(rng, f);
    block[op] ??= {};
    block[op][key] = values.length === 1 && rng.chance(0.5) ? values[0] : values;
  }
  if (n > 1) f.add('condition-and');
  return block;
}

function context(rng: Rng, f: Set<string>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const spec of KEYS) {
    if (!rng.chance(0.55)) continue;
    let key = spec.key;
    if (rng.chance(0.1)) key = key.toLowerCase();
    if (spec.type === 'array') {
      const v = rng.subset(spec.requestValues);
      if (v.length === 0) f.add('context-empty-set');
      out[key] = v;
    } else {
      out[key] = rng.pick(spec.requestValues);
    }
  }
  return out;
}

function statement(rng: Rng, action: string, target: RequestArn | undefined, denyShare: number, f: Set<string>): PolicyStatement {
  const s: PolicyStatement = { Effect: rng.chance(denyShare) ? 'Deny' : 'Allow' };
  if (rng.chance(0.25)) s.Sid = `S${rng.int(100)}`;
  const actions = Array.from({ length: 1 + rng.int(2) }, () => actionPattern(rng, rng.chance(0.8) ? action : rng.pick(FAMILIES).actions[0], f));
  const actionValue = actions.length === 1 && rng.chance(0.5) ? actions[0] : actions;
  if (rng.chance(0.1)) {
    f.add(`NotAction-${s.Effect}`);
    s.NotAction = actionValue;
  } else {
    s.Action = actionValue;
  }
  const notResource = rng.chance(0.12);
  const resources = Array.from({ length: 1 + rng.int(2) }, () => resourcePattern(rng, target, notResource, f));
  const resourceValue = resources.length === 1 && rng.chance(0.5) ? resources[0] : resources;
  if (notResource) {
    f.add(`NotResource-${s.Effect}`);
    s.NotResource = resourceValue;
  } else {
    s.Resource = resourceValue;
  }
  const c = conditionBlock(rng, f);
  if (c) s.Condition = c;
  return s;
}

function doc(statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

/** The cases one by one, so that a long run does not keep every policy (and its compiled form) alive. */
export function* generateOracleCases(seed: number, count: number): Generator<OracleCase> {
  const rng = new Rng(seed);
  for (let id = 0; id < count; id++) {
    const f = new Set<string>();
    let request: AuthRequest;
    let target: RequestArn | undefined;
    if (rng.chance(0.08)) {
      f.add('request-star');
      request = { action: rng.pick(WILDCARD_ONLY), resource: '*', context: context(rng, f) };
    } else {
      target = randomArn(rng);
      request = { action: rng.pick(target.family.actions), resource: arnOf(target), context: context(rng, f) };
    }
    const identity = Array.from({ length: rng.chance(0.75) ? 1 : 2 }, () =>
      doc(Array.from({ length: 1 + rng.int(4) }, () => statement(rng, request.action, target, 0.2, f))),
    );
    const c: OracleCase = { id, request, identity, features: f };
    if (rng.chance(0.35)) {
      f.add('boundary');
      const statements: PolicyStatement[] = [];
      if (rng.chance(0.5)) statements.push({ Effect: 'Allow', Action: '*', Resource: '*' });
      const extra = (statements.length === 0 ? 1 : 0) + rng.int(3);
      for (let k = 0; k < extra; k++) statements.push(statement(rng, request.action, target, 0.4, f));
      c.boundary = [doc(statements)];
    }
    yield c;
  }
}
