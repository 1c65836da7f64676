// The plain values that the pipeline stages exchange. Every stage takes and returns these; none of them
// holds an AWS client or a file handle.

/** One entry of a record's `resources[]`. Keys vary in case between producers, so all spellings are kept. */
export interface TrailResource {
  ARN?: string;
  arn?: string;
  ARNPrefix?: string;
  arnPrefix?: string;
  arnprefix?: string;
  accountId?: string;
  type?: string;
}

export interface SessionIssuer {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  userName?: string;
}

export interface UserIdentity {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  invokedBy?: string;
  sessionContext?: { sessionIssuer?: SessionIssuer; attributes?: Record<string, unknown> };
}

/**
 * A CloudTrail record as any source delivers it. Logs are untrusted input, so every field is optional and
 * may have the wrong type at run time; the translator checks before it uses one.
 */
export interface TrailRecord {
  eventVersion?: string;
  eventTime?: string;
  eventSource?: string;
  eventName?: string;
  awsRegion?: string;
  eventID?: string;
  eventType?: string;
  eventCategory?: string;
  errorCode?: string;
  errorMessage?: string;
  readOnly?: boolean | string;
  sourceIPAddress?: string;
  userAgent?: string;
  recipientAccountId?: string;
  sharedEventID?: string;
  userIdentity?: UserIdentity;
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown> | null;
  resources?: TrailResource[];
  [extra: string]: unknown;
}

/**
 * A record with how many identical events it stands for. Files and LookupEvents give count 1; Athena and
 * CloudTrail Lake give one row per aggregated group.
 */
export interface WeightedRecord {
  record: TrailRecord;
  count: number;
  /** ISO times of the first and last event of the group (equal for a single event). */
  firstSeen: string;
  lastSeen: string;
  /** Where it came from, for messages: a file path and index, or "lookup:us-east-1". */
  origin: string;
}

/** Why a record was not used. Every read record ends in exactly one bucket: matched or one of these. */
export type SkipReason =
  | 'unreadable-file'
  | 'not-json'
  | 'wrong-shape'
  | 'missing-event-time'
  | 'bad-event-time'
  | 'missing-user-identity'
  | 'other-principal'
  | 'outside-window'
  | 'digest-file'
  | 'too-large';

export interface SkipNote {
  reason: SkipReason;
  where: string;
  detail: string;
}

/** What a source read, with the accounting identity read = matched + sum(skipped). */
export interface ReadStats {
  files: number;
  filesSkippedByName: number;
  filesSkippedByContent: number;
  digestFiles: number;
  records: number;
  matched: number;
  /** Records skipped, per reason: records = matched + the sum of these. */
  skipped: Partial<Record<SkipReason, number>>;
  /** Whole files that could not be used (unreadable, not JSON, wrong shape), per reason. */
  fileProblems: Partial<Record<SkipReason, number>>;
  /** The first few of each kind, with file and position, for the report. */
  notes: SkipNote[];
}

/**
 * observed: the call's own permission; derived: another permission the call needs (a passed role, a copy source);
 * implied: a companion CloudTrail never records but the call always needs (PutLogEvents on a created stream);
 * inferred: from the project configuration.
 */
export type Origin = 'observed' | 'derived' | 'implied' | 'inferred';

/** Condition keys with the values a request carried, e.g. {"kms:ViaService": "s3.us-east-1.amazonaws.com"}. */
export type ConditionContext = Record<string, string>;

/** One IAM permission that one call needed. */
export interface Permission {
  /** `service:Action`, with the action's canonical case from the IAM service reference. */
  action: string;
  /** The resource ARN, or "*" when the action takes no resource or the resource is unknown. */
  resource: string;
  /** Whether `resource` came from the record (true) or is "*" for want of a resource type (false). */
  resourceKnown: boolean;
  origin: Origin;
  /** Why a derived or inferred permission exists, e.g. "CreateProject passes serviceRole". */
  because?: string;
  /** Condition keys that the request carried and that the policy may use. */
  context?: ConditionContext;
}

/** A permission that the call needed but CloudTrail never shows (e.g. logs:PutLogEvents). */
export interface Unobserved {
  action: string;
  resource: string;
  reason: string;
}

/** 'unproven': an error raised before authorization (or saying nothing about it); see translation/outcome.ts. */
export type Outcome = 'allowed' | 'denied' | 'failed' | 'unproven';

/** The translator's verdict on one record. */
export type Translation =
  | {
      kind: 'call';
      outcome: Outcome;
      /** For an unproven call: the error code, as spelled in the outcome table. */
      error?: string;
      permissions: Permission[];
      unobserved: Unobserved[];
      /** Resource values refused because they could widen a grant (e.g. a bucket named "*"). */
      refused: string[];
    }
  | { kind: 'ignored'; reason: string }
  | { kind: 'untranslatable'; reason: string };

/** Facts gathered about one (action, resource, context) across all records. */
export interface Fact {
  action: string;
  resource: string;
  resourceKnown: boolean;
  origin: Origin;
  because?: string;
  context: ConditionContext;
  outcome: Outcome;
  /** For unproven facts: the error code that proves nothing (from the outcome table). */
  error?: string;
  count: number;
  builds: string[];
  firstSeen: string;
  lastSeen: string;
  regions: string[];
  accounts: string[];
  /** For a resource whose ARN names no account (S3): the owner accounts the records' resources[] name. */
  resourceAccounts?: string[];
  sampleEventIds: string[];
  /**
   * The condition-key values its records showed, for `verify` (encoded by src/verification/seen.ts);
   * `more` when there were more distinct values than kept. Absent for inferred facts.
   */
  seen?: { entries: string[]; more?: true };
}

export interface UntranslatableNote {
  eventSource: string;
  eventName: string;
  reason: string;
  count: number;
  sampleEventIds: string[];
}

export interface IgnoredNote {
  eventSource: string;
  eventName: string;
  reason: string;
  count: number;
}

/** Everything the translation stage learned, the input to synthesis. */
export interface Evidence {
  role: string;
  window: { since?: string; until?: string };
  facts: Fact[];
  unobserved: Array<Unobserved & { count: number }>;
  untranslatable: UntranslatableNote[];
  ignored: IgnoredNote[];
  refused: Array<{ value: string; eventName: string; count: number }>;
  builds: string[];
  /** Per build, its first and last event and how many events it made (sources without builds leave it out). */
  buildSpans?: Array<{ build: string; firstSeen: string; lastSeen: string; events: number }>;
  accounts: string[];
  regions: string[];
  partition: string;
  /** Session issuer ARNs of the records read as the role's (one, unless --role was ambiguous). */
  roles?: string[];
  read: ReadStats;
  warnings: string[];
  /** What a query engine (Athena, CloudTrail Lake) scanned for this evidence, and its estimated cost. */
  scanned?: { bytes: number; costUsd: number; engine: string; queryId?: string };
}

// ---- IAM policy documents ----

export type StringOrList = string | string[];

export type ConditionBlock = Record<string, Record<string, StringOrList | boolean | number | Array<string | boolean | number>>>;

export type Principal = '*' | Record<string, StringOrList>;

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: StringOrList;
  NotAction?: StringOrList;
  Resource?: StringOrList;
  NotResource?: StringOrList;
  Principal?: Principal;
  NotPrincipal?: Principal;
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version: '2012-10-17' | '2008-10-17';
  Id?: string;
  Statement: PolicyStatement[];
}

/** A request to authorize: what verification replays and what the evaluator decides on. */
export interface AuthRequest {
  action: string;
  resource: string;
  /** Condition keys to values; multi-valued keys as arrays. */
  context: Record<string, string | string[]>;
  principalArn?: string;
  accountId?: string;
  /**
   * Keys (case-insensitive patterns, `*` for any run) that the request cannot tell: when one is absent from
   * `context`, a statement that reads it is undecided rather than read as "key absent".
   */
  unknownKeys?: string[];
}

// ---- CodeBuild configuration (from batch-get-projects / batch-get-builds or the API) ----

export interface EnvVar {
  name: string;
  value: string;
  type?: 'PLAINTEXT' | 'PARAMETER_STORE' | 'SECRETS_MANAGER' | string;
}

/** The subset of a CodeBuild project that decides what its service role needs. */
export interface ProjectConfig {
  name: string;
  arn: string;
  region: string;
  account: string;
  serviceRole?: string;
  source?: { type?: string; location?: string };
  secondarySources?: Array<{ type?: string; location?: string }>;
  artifacts?: { type?: string; location?: string; path?: string; name?: string; encryptionDisabled?: boolean };
  secondaryArtifacts?: Array<{ type?: string; location?: string; path?: string; name?: string }>;
  cache?: { type?: string; location?: string };
  environment?: { image?: string; imagePullCredentialsType?: string; environmentVariables?: EnvVar[]; type?: string };
  logsConfig?: {
    cloudWatchLogs?: { status?: string; groupName?: string; streamName?: string };
    s3Logs?: { status?: string; location?: string };
  };
  vpcConfig?: { vpcId?: string; subnets?: string[]; securityGroupIds?: string[] };
  encryptionKey?: string;
  reportGroupArns?: string[];
}

export interface BuildInfo {
  id: string;
  arn?: string;
  projectName: string;
  /** The UUID part of the build ID; the CodeBuild session name is `AWSCodeBuild-<uuid>`. */
  uuid: string;
  startTime?: string;
  endTime?: string;
  status?: string;
  region: string;
  serviceRole?: string;
}
