// The options each command's runner receives, as commander parses them. They live with the runners' helpers so
// that no runner imports cli/commands: commands import only these types and load their runner lazily.
import type { SEVERITIES } from '../../src/audit/model.js';
import type { SelfPolicyOptions } from '../../src/self-policy/self-policy.js';
import type { SourceKind } from '../../src/sources/source.js';

/** The options every trail-reading command shares (generate, verify): where the events come from. */
export interface SourceFlags {
  source?: SourceKind;
  logs?: string[];
  role?: string;
  since?: string;
  until?: string;
  strict?: boolean;
  quiet?: boolean;
  workers?: string;
  region?: string[];
  profile?: string;
  project?: string;
  build?: string[];
  lastBuilds?: string;
  wait?: boolean;
  athenaTable?: string;
  athenaWorkgroup?: string;
  athenaOutput?: string;
  athenaPricePerTb?: string;
  eventDataStore?: string;
}

export interface GenerateFlags extends SourceFlags {
  out?: string;
  resources?: 'generalize' | 'exact';
  projectFile?: string[];
  infer?: boolean;
  minBuilds?: string;
  boundaryScope?: 'services' | 'actions';
  allowBroad?: boolean;
  format?: 'json' | 'terraform' | 'cloudformation';
  export?: string;
  currentTrust?: string;
}

export interface VerifyFlags extends SourceFlags {
  policy?: string[];
  boundary?: string;
  scp?: string[];
  assume?: string[];
  projectFile?: string[];
  format?: 'text' | 'json';
  /** The older spelling of --format json, kept working. */
  json?: boolean;
}

export interface DiffFlags {
  proposed?: string;
  role?: string;
  current?: string[];
  currentBoundary?: string;
  evidence?: string;
  format: 'text' | 'markdown' | 'json' | 'html';
  failOnWiden?: boolean;
  out?: string;
  region?: string;
  profile?: string;
}

export interface ExportFlags {
  format: 'terraform' | 'cloudformation';
  name: string;
  cfnFormat: 'yaml' | 'json';
  literal?: boolean;
}

export interface AuditFlags {
  project?: string;
  projectFile?: string;
  describe?: string[];
  evidence?: string;
  format: 'markdown' | 'json' | 'sarif';
  out?: string;
  failOn?: (typeof SEVERITIES)[number];
  requireCmk?: boolean;
  allowedGithubOrg?: string[];
  region?: string;
  profile?: string;
}

export type SelfPolicyFlags = Omit<SelfPolicyOptions, 'source'> & { source?: SelfPolicyOptions['source']; for?: 'audit' };

export interface AthenaDdlFlags {
  bucket?: string;
  prefix?: string;
  orgId?: string;
  account?: string[];
  injectAccount?: boolean;
  region?: string[];
  table?: string;
  database?: string;
}
