// The audit's data: a typed snapshot of one CodeBuild project and what surrounds it (network, role, trails,
// image repository, alarms), the checks' results and findings. The snapshot uses the AWS API shapes (the SDK's
// types, which are also what the AWS CLI prints as JSON), so live and offline inputs are the same value.
import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { AdvancedEventSelector, EventSelector, Trail } from '@aws-sdk/client-cloudtrail';
import type { Project } from '@aws-sdk/client-codebuild';
import type { RouteTable, SecurityGroup, Subnet, VpcEndpoint } from '@aws-sdk/client-ec2';
import type { Repository } from '@aws-sdk/client-ecr';
import type { UsageEvidence } from '../diff/usage.js';
import type { RoleDocuments } from '../role/read-role.js';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** True when `a` is at least as severe as `b`. */
export function atLeast(a: Severity, b: Severity): boolean {
  return SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b);
}

export type Layer = 'network' | 'iam' | 'data' | 'runtime' | 'visibility' | 'webhook';

export interface TrailInfo {
  trail: Trail;
  eventSelectors?: EventSelector[];
  advancedEventSelectors?: AdvancedEventSelector[];
  /** From GetTrailStatus; undefined when not read. */
  isLogging?: boolean;
}

export interface RegistryScanning {
  scanType?: string;
  rules?: Array<{ scanFrequency?: string; repositoryFilters?: Array<{ filter?: string; filterType?: string }> }>;
}

export interface ProjectSnapshot {
  project: Project;
  /** Region and account of the project (from its ARN). */
  region: string;
  account: string;
  partition: string;
  /** Every project of the account and region with its service role; undefined when not read. */
  allProjects?: Array<{ name: string; serviceRole?: string }>;
  network?: {
    subnets: Subnet[];
    routeTables: RouteTable[];
    securityGroups: SecurityGroup[];
    vpcEndpoints: VpcEndpoint[];
  };
  role?: RoleDocuments;
  trails?: TrailInfo[];
  ecr?: { repositories: Repository[]; registryScanning?: RegistryScanning };
  alarms?: MetricAlarm[];
}

/** What the build did, from `generate`'s evidence.json (parsed by `diff`'s parseEvidence). */
export type AuditEvidence = UsageEvidence;

export interface AuditOptions {
  /** The team wants customer-managed KMS keys: the AWS-managed key is a finding. */
  requireCmk?: boolean;
  /** GitHub organizations the project may build from (case-insensitive). */
  allowedGithubOrgs?: string[];
}

export interface Citation {
  /** What the source is: "AWS documentation", "Security Hub CodeBuild.5", "AWS Config rule ...". */
  title: string;
  url?: string;
}

export interface Finding {
  /** Check ID plus the thing it is about, stable across runs: "RUN-PRIVILEGED", "DATA-PLAINTEXT-SECRET:GITHUB_TOKEN". */
  id: string;
  check: string;
  severity: Severity;
  /** The resource the finding is about (an ARN, a subnet ID, a variable name); never a secret value. */
  resource: string;
  message: string;
  /** The facts that make it a finding. */
  evidence: string[];
  fix: string;
}

export interface CheckMeta {
  id: string;
  layer: Layer;
  title: string;
  severity: Severity;
  sources: Citation[];
}

export type CheckStatus = 'pass' | 'fail' | 'skipped';

export interface CheckResult {
  check: CheckMeta;
  status: CheckStatus;
  /** Why the check was skipped, or a note on a pass (e.g. what it could not see). */
  note?: string;
  findings: Finding[];
}

/** What the role's policies allow, worked out once with `diff`'s machinery (src/audit/role-analysis.ts). */
export interface RoleAnalysis {
  /** Number of IAM actions the role's identity policies allow (after the boundary). */
  allowed: number;
  /** The first allowed actions (sorted, at most 5) whose access level is not Read or List; empty: read-only. */
  writeSample: string[];
  /** With evidence: how many allowed actions the build never used, the first 20 of them (sorted), and how
   * many are allowed but invisible to CloudTrail. */
  unusedCount?: number;
  unusedSample?: string[];
  unknown?: number;
  used?: number;
}

export interface AuditInput {
  snapshot: ProjectSnapshot;
  evidence?: AuditEvidence;
  options: AuditOptions;
  role?: RoleAnalysis;
}

/** A check: a pure function from the input to its findings, or a reason it could not run. */
export interface Check extends CheckMeta {
  run(input: AuditInput): { findings: Finding[]; note?: string } | { skipped: string };
}

export interface AuditReport {
  schema: 'codebuild-iam/audit@1';
  project: { name: string; arn: string; region: string; account: string };
  summary: Record<Severity, number> & { checks: number; passed: number; failed: number; skipped: number };
  results: CheckResult[];
}
