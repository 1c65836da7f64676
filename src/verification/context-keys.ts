// Which condition keys a replayed request carries, and where each value comes from: the table that `verify`
// builds request contexts from. Semantics follow the IAM "AWS global condition context keys" reference
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html) and the
// service authorization reference for service keys.
//
// Sources:
//   record   - read from each CloudTrail record (gathered per fact as "seen" values, see ./seen.ts)
//   request  - from the replayed request itself: region, resource ARN, event times
//   constant - the same for every call a role session makes with its credentials
//   absent   - AWS does not put the key in the context of such a call
//   unknown  - the record cannot tell it: a statement that reads it is undecided unless --assume gives it
//   action   - present only for actions whose reference lists it, and then not in the record: unknown there,
//              absent elsewhere
import { parseArn, partitionOf } from '../iam/arn.js';
import type { TrailRecord } from '../model.js';

export type KeySource = 'record' | 'request' | 'constant' | 'absent' | 'unknown' | 'action';

/** A value read from a record: text, a list (multivalued keys), null for absent, undefined for "cannot tell". */
export type ReadValue = string | string[] | null | undefined;

export interface ContextKeyRow {
  /** The key, or a pattern with `*` for a family (tags). */
  key: string;
  source: KeySource;
  /** Keys read together from the same record (their values are kept together, not crossed). */
  group?: 'principal' | 'network' | 'session' | 'agent' | 'resource';
  /** For `constant`: the value. */
  value?: string;
  read?: (r: TrailRecord) => ReadValue;
  note: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const ACCOUNT = /^\d{12}$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6 = /^[0-9a-fA-F:]{2,39}$/;
const isIp = (v: string | undefined): v is string => v !== undefined && (IPV4.test(v) || (v.includes(':') && IPV6.test(v)));

/** Services that set aws:CalledVia when they call on the principal's behalf (IAM global keys reference). */
export const CALLED_VIA_SERVICES: readonly string[] = [
  'athena.amazonaws.com',
  'cloudformation.amazonaws.com',
  'dynamodb.amazonaws.com',
  'kms.amazonaws.com',
];

/** userIdentity.type -> aws:PrincipalType. */
const PRINCIPAL_TYPE: Record<string, string> = { AssumedRole: 'AssumedRole', IAMUser: 'User', Root: 'Account', FederatedUser: 'FederatedUser' };

function principalArn(r: TrailRecord): ReadValue {
  const u = r.userIdentity;
  if (u?.type === 'AssumedRole') return str(u.sessionContext?.sessionIssuer?.arn);
  if (u?.type === 'IAMUser' || u?.type === 'Root' || u?.type === 'FederatedUser') return str(u.arn);
  return undefined;
}

function principalAccount(r: TrailRecord): ReadValue {
  const id = str(r.userIdentity?.accountId);
  if (id && ACCOUNT.test(id)) return id;
  const arn = principalArn(r);
  const fromArn = typeof arn === 'string' ? parseArn(arn)?.account : undefined;
  return fromArn && ACCOUNT.test(fromArn) ? fromArn : undefined;
}

/** The records of partial sources (Athena, CloudTrail Lake rows) have no sourceIPAddress: network keys are unknown. */
const hasNetwork = (r: TrailRecord): boolean => typeof r.sourceIPAddress === 'string';
const vpce = (r: TrailRecord): string | undefined => str(r.vpcEndpointId);
const invokedBy = (r: TrailRecord): string | undefined => str(r.userIdentity?.invokedBy);
const attributes = (r: TrailRecord): Record<string, unknown> | undefined => {
  const a = r.userIdentity?.sessionContext?.attributes;
  return a && typeof a === 'object' ? a : undefined;
};

/** For resources whose ARN has no account (S3): the one account resources[] names, else the recipient. */
function resourceAccount(r: TrailRecord): ReadValue {
  const named = new Set<string>();
  if (Array.isArray(r.resources)) {
    for (const x of r.resources.slice(0, 256)) {
      const a = x && typeof x === 'object' ? str(x.accountId) : undefined;
      if (a) named.add(a);
    }
  }
  if (named.size > 1) return undefined;
  const account = named.size === 1 ? [...named][0] : str(r.recipientAccountId);
  return account && ACCOUNT.test(account) ? account : undefined;
}

function calledVia(r: TrailRecord): string | null | undefined {
  const by = invokedBy(r);
  if (!by) return r.userIdentity ? null : undefined;
  return CALLED_VIA_SERVICES.includes(by) ? by : null;
}

/** Rows that differ only in their key: one source, one reason. */
const alike = (keys: string[], row: Omit<ContextKeyRow, 'key'>): ContextKeyRow[] => keys.map((key) => ({ key, ...row }));
const NO_ORG = 'the organization is not in the record';

export const GLOBAL_KEYS: readonly ContextKeyRow[] = [
  // Principal
  { key: 'aws:PrincipalArn', source: 'record', group: 'principal', read: principalArn, note: 'the role ARN (sessionContext.sessionIssuer.arn) for a role session' },
  { key: 'aws:PrincipalAccount', source: 'record', group: 'principal', read: principalAccount, note: 'userIdentity.accountId' },
  { key: 'aws:PrincipalType', source: 'record', group: 'principal', read: (r) => PRINCIPAL_TYPE[str(r.userIdentity?.type) ?? ''], note: 'AssumedRole for a role session (userIdentity.type)' },
  { key: 'aws:userid', source: 'record', group: 'principal', read: (r) => str(r.userIdentity?.principalId), note: 'role-id:session-name (userIdentity.principalId)' },
  {
    key: 'aws:username',
    source: 'record',
    group: 'principal',
    read: (r) => (r.userIdentity?.type === 'AssumedRole' ? null : r.userIdentity?.type === 'IAMUser' ? str((r.userIdentity as Record<string, unknown>).userName) : undefined),
    note: 'IAM users only; absent for role sessions',
  },
  { key: 'aws:PrincipalIsAWSService', source: 'constant', value: 'false', note: 'the role session calls, not a service principal' },
  ...alike(['aws:PrincipalServiceName', 'aws:PrincipalServiceNamesList'], { source: 'absent', note: 'service principals only' }),
  ...alike(['aws:PrincipalOrgID', 'aws:PrincipalOrgPaths'], { source: 'unknown', note: NO_ORG }),
  { key: 'aws:PrincipalTag/*', source: 'unknown', note: 'principal tags are not in the record' },
  { key: 'aws:AssumedRoot', source: 'absent', note: 'root sessions only' },
  { key: 'aws:FederatedProvider', source: 'record', group: 'session', read: (r) => (attributes(r) ? (r.userIdentity?.sessionContext && 'webIdFederationData' in r.userIdentity.sessionContext ? undefined : null) : undefined), note: 'web identity sessions only' },
  // Session
  { key: 'aws:SourceIdentity', source: 'record', group: 'session', read: (r) => (attributes(r) ? (str((r.userIdentity?.sessionContext as Record<string, unknown> | undefined)?.sourceIdentity) ?? null) : undefined), note: 'sessionContext.sourceIdentity; absent when the session has none' },
  { key: 'aws:TokenIssueTime', source: 'record', group: 'session', read: (r) => str(attributes(r)?.creationDate), note: 'sessionContext.attributes.creationDate' },
  { key: 'aws:MultiFactorAuthPresent', source: 'unknown', note: 'not decided from the record; give it with --assume' },
  { key: 'aws:MultiFactorAuthAge', source: 'unknown', note: 'not in the record' },
  ...alike(['aws:ec2InstanceSourceVpc', 'aws:ec2InstanceSourcePrivateIPv4', 'ec2:SourceInstanceARN'], { source: 'absent', note: 'EC2 instance role credentials only' }),
  // Network
  {
    key: 'aws:SourceIp',
    source: 'record',
    group: 'network',
    read: (r) => (!hasNetwork(r) ? undefined : vpce(r) ? null : invokedBy(r) ? undefined : isIp(r.sourceIPAddress) ? r.sourceIPAddress : undefined),
    note: 'sourceIPAddress; absent through a VPC endpoint; not told for calls AWS made on the role\'s behalf (invokedBy) or from AWS-internal addresses',
  },
  {
    key: 'aws:VpcSourceIp',
    source: 'record',
    group: 'network',
    read: (r) => (!hasNetwork(r) ? undefined : vpce(r) ? (isIp(r.sourceIPAddress) ? r.sourceIPAddress : undefined) : null),
    note: 'sourceIPAddress of a call through a VPC endpoint; absent otherwise',
  },
  { key: 'aws:SourceVpce', source: 'record', group: 'network', read: (r) => (!hasNetwork(r) ? undefined : (vpce(r) ?? null)), note: 'vpcEndpointId; absent without one' },
  { key: 'aws:SourceVpc', source: 'record', group: 'network', read: (r) => (!hasNetwork(r) || vpce(r) ? undefined : null), note: 'the VPC of an endpoint is not in the record; absent without an endpoint' },
  { key: 'aws:ViaAWSService', source: 'record', group: 'network', read: (r) => (invokedBy(r) ? 'true' : r.userIdentity ? 'false' : undefined), note: 'true when a service called on the role\'s behalf (userIdentity.invokedBy)' },
  { key: 'aws:CalledVia', source: 'record', group: 'network', read: (r) => { const v = calledVia(r); return typeof v === 'string' ? [v] : v; }, note: 'invokedBy, for the services that set it' },
  ...alike(['aws:CalledViaFirst', 'aws:CalledViaLast'], { source: 'record', group: 'network', read: calledVia, note: 'invokedBy, for the services that set aws:CalledVia' }),
  { key: 'aws:UserAgent', source: 'record', group: 'agent', read: (r) => str(r.userAgent), note: 'userAgent' },
  { key: 'aws:Referer', source: 'unknown', note: 'not in the record' },
  { key: 'aws:SecureTransport', source: 'constant', value: 'true', note: 'API calls are made over TLS' },
  // Request
  { key: 'aws:RequestedRegion', source: 'request', note: 'awsRegion' },
  { key: 'aws:CurrentTime', source: 'request', note: 'eventTime (first, last, and each policy date in between)' },
  { key: 'aws:EpochTime', source: 'request', note: 'eventTime in epoch seconds' },
  { key: 'aws:ResourceAccount', source: 'record', group: 'resource', read: resourceAccount, note: 'the account of the resource ARN; else the one account in resources[] (a bucket owner), else recipientAccountId' },
  ...alike(['aws:ResourceOrgID', 'aws:ResourceOrgPaths'], { source: 'unknown', note: NO_ORG }),
  { key: 'aws:ResourceTag/*', source: 'unknown', note: 'resource tags are not in the record' },
  ...alike(['aws:RequestTag/*', 'aws:TagKeys'], { source: 'action', note: 'tags in the request are not read from records' }),
  // Keys that only calls by service principals carry
  ...alike(['aws:SourceArn', 'aws:SourceAccount', 'aws:SourceOrgID', 'aws:SourceOrgPaths'], { source: 'absent', note: 'calls by service principals only' }),
];

/** Values are kept per fact: an oversized one (a log can hold anything) is "cannot tell", not kept. */
export const MAX_VALUE_LENGTH = 1024;
const bounded = (v: ReadValue): ReadValue =>
  typeof v === 'string' ? (v.length > MAX_VALUE_LENGTH ? undefined : v) : Array.isArray(v) && v.some((x) => x.length > MAX_VALUE_LENGTH) ? undefined : v;

/** One group's values from one record: key (as in the table) -> value; a missing key is "cannot tell". */
export type GroupValues = Record<string, string | string[] | null>;

/** The record-sourced keys of one record, by group. */
export function recordGroups(r: TrailRecord): Record<string, GroupValues> {
  const out: Record<string, GroupValues> = {};
  for (const row of GLOBAL_KEYS) {
    if (row.source !== 'record' || !row.read || !row.group) continue;
    const v = bounded(row.read(r));
    const g = (out[row.group] ??= {});
    if (v !== undefined) g[row.key] = v;
  }
  return out;
}

// ---- service keys ----

export interface ServiceKeyRow {
  /** Action patterns (`s3:*` or exact). */
  actions: string[];
  /** The key, or a family `kms:EncryptionContext:*` whose members the read names. */
  key: string;
  multi?: boolean;
  /** Values by key (absent keys of the family: null/omitted), or undefined when the record cannot tell. */
  read: (r: TrailRecord) => Record<string, string | string[] | null> | undefined;
  note: string;
}

function params(r: TrailRecord): Record<string, unknown> | undefined {
  const p = r.requestParameters;
  return p && typeof p === 'object' && !Array.isArray(p) ? p : undefined;
}

/** A request header CloudTrail logs in requestParameters when the call sent it. */
const header = (key: string, name: string) => (r: TrailRecord) => {
  const p = params(r);
  if (!p) return undefined;
  return { [key]: str(p[name]) ?? null };
};

/** A field of additionalEventData, translated to the key's values; unknown for any other value. */
const fromEvent = (key: string, field: string, values: Record<string, string>) => (r: TrailRecord) => {
  const v = str(r.additionalEventData?.[field]);
  return v !== undefined && Object.prototype.hasOwnProperty.call(values, v) ? { [key]: values[v] } : undefined;
};

const ENCRYPTION_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'];

/** Services whose own calls pass a role to themselves: iam:PassedToService is the event's service. */
const PASSES_TO_ITSELF = ['codebuild.amazonaws.com', 'lambda.amazonaws.com', 'cloudformation.amazonaws.com', 'states.amazonaws.com', 'codepipeline.amazonaws.com'];

export const SERVICE_KEYS: readonly ServiceKeyRow[] = [
  { actions: ['s3:PutObject'], key: 's3:x-amz-server-side-encryption', read: header('s3:x-amz-server-side-encryption', 'x-amz-server-side-encryption'), note: 'request header in requestParameters' },
  {
    actions: ['s3:PutObject'],
    key: 's3:x-amz-server-side-encryption-aws-kms-key-id',
    read: header('s3:x-amz-server-side-encryption-aws-kms-key-id', 'x-amz-server-side-encryption-aws-kms-key-id'),
    note: 'request header in requestParameters',
  },
  { actions: ['s3:PutObject', 's3:PutObjectAcl', 's3:PutBucketAcl'], key: 's3:x-amz-acl', read: header('s3:x-amz-acl', 'x-amz-acl'), note: 'request header in requestParameters' },
  {
    actions: ['s3:*'],
    key: 's3:TlsVersion',
    read: (r) => {
      const v = str((r.tlsDetails as Record<string, unknown> | undefined)?.tlsVersion);
      const m = v ? /^TLSv(\d+\.\d+)$/.exec(v) : null;
      return m ? { 's3:TlsVersion': m[1] } : undefined;
    },
    note: 'tlsDetails.tlsVersion',
  },
  {
    actions: ['s3:*'],
    key: 's3:authType',
    read: fromEvent('s3:authType', 'AuthenticationMethod', { AuthHeader: 'REST-HEADER', QueryString: 'REST-QUERY-STRING' }),
    note: 'additionalEventData.AuthenticationMethod',
  },
  {
    actions: ['s3:*'],
    key: 's3:signatureversion',
    read: fromEvent('s3:signatureversion', 'SignatureVersion', { SigV4: 'AWS4-HMAC-SHA256', SigV2: 'AWS' }),
    note: 'additionalEventData.SignatureVersion',
  },
  {
    actions: ['kms:*'],
    key: 'kms:ViaService',
    read: (r) => {
      if (!r.userIdentity) return undefined;
      const by = invokedBy(r);
      const m = by ? /^([a-z0-9-]+)\.amazonaws\.com$/.exec(by) : null;
      const region = str(r.awsRegion);
      if (by && (!m || !region)) return undefined;
      return { 'kms:ViaService': m && region ? `${m[1]}.${region}.amazonaws.com` : null };
    },
    note: 'invokedBy as <service>.<region>.amazonaws.com',
  },
  { actions: ['kms:*'], key: 'kms:CallerAccount', read: (r) => { const a = principalAccount(r); return a === undefined ? undefined : { 'kms:CallerAccount': a }; }, note: 'userIdentity.accountId' },
  {
    actions: ENCRYPTION_ACTIONS,
    key: 'kms:EncryptionContext:*',
    read: (r) => {
      const p = params(r);
      if (!p) return undefined;
      const ec = p.encryptionContext;
      if (ec === undefined || ec === null) return {};
      if (typeof ec !== 'object' || Array.isArray(ec)) return undefined;
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(ec as Record<string, unknown>).slice(0, 64)) if (typeof v === 'string') out[`kms:EncryptionContext:${k}`] = v;
      return out;
    },
    note: 'requestParameters.encryptionContext',
  },
  {
    actions: ENCRYPTION_ACTIONS,
    key: 'kms:EncryptionContextKeys',
    multi: true,
    read: (r) => {
      const p = params(r);
      if (!p) return undefined;
      const ec = p.encryptionContext;
      if (ec === undefined || ec === null) return { 'kms:EncryptionContextKeys': null };
      if (typeof ec !== 'object' || Array.isArray(ec)) return undefined;
      return { 'kms:EncryptionContextKeys': Object.keys(ec).slice(0, 64).sort() };
    },
    note: 'the keys of requestParameters.encryptionContext',
  },
  {
    actions: ['ec2:CreateNetworkInterface'],
    key: 'ec2:Subnet',
    read: (r) => {
      const subnet = str(params(r)?.subnetId);
      const account = principalAccount(r);
      const region = str(r.awsRegion);
      const partition = partitionOf(String(r.userIdentity?.arn ?? '')) ?? 'aws';
      if (!subnet || !/^subnet-[0-9a-f]+$/.test(subnet) || typeof account !== 'string' || !region) return undefined;
      return { 'ec2:Subnet': `arn:${partition}:ec2:${region}:${account}:subnet/${subnet}` };
    },
    note: 'requestParameters.subnetId as a subnet ARN',
  },
  {
    // The session name the caller gives when it assumes a role (IAM user guide, "AWS STS condition keys").
    actions: ['sts:AssumeRole', 'sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity'],
    key: 'sts:RoleSessionName',
    read: (r) => {
      const name = str(params(r)?.roleSessionName);
      return name === undefined ? undefined : { 'sts:RoleSessionName': name };
    },
    note: 'requestParameters.roleSessionName',
  },
  {
    actions: ['iam:PassRole'],
    key: 'iam:PassedToService',
    read: (r) => {
      const source = str(r.eventSource);
      return source && PASSES_TO_ITSELF.includes(source) ? { 'iam:PassedToService': source } : undefined;
    },
    note: 'the service of the call that passes the role, for services that pass it to themselves',
  },
];
