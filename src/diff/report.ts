// The diff report: the value every renderer takes. Its JSON form (render-json.ts) is documented in
// docs/diff.md; add fields, never rename them.

export type Verdict = 'unchanged' | 'narrows' | 'widens';
export type Usage = 'used' | 'unused' | 'unknown';

/** An (action, resource) the proposal allows and the current documents do not. */
export interface Widening {
  action: string;
  /** "added": the action was not allowed at all; "broader": allowed today, but now on more resources or under fewer conditions. */
  kind: 'added' | 'broader';
  /** The proposal's grants that the current documents do not cover, one line each. */
  grants: string[];
  /** The current grants of the action (empty for "added"). */
  current: string[];
}

export interface ResourceChange {
  action: string;
  current: string[];
  proposed: string[];
}

export interface ConditionChange {
  /** e.g. "StringEquals aws:SourceAccount 123456789012". */
  condition: string;
  actions: string[];
}

export interface ServiceDiff {
  service: string;
  removed: string[];
  added: string[];
  kept: string[];
  resourcesWidened: ResourceChange[];
  resourcesNarrowed: ResourceChange[];
  conditionsAdded: ConditionChange[];
  conditionsRemoved: ConditionChange[];
}

export interface UsageCounts {
  usedAndAllowed: number;
  usedNotAllowed: number;
  allowedUnused: number;
  allowedUnknown: number;
}

export interface ActionUsage {
  action: string;
  usage: Usage;
  allowedNow: boolean;
  allowedProposed: boolean;
  /** Why CloudTrail cannot show it (usage "unknown"). */
  reason?: string;
}

export interface TrustDiff {
  /** Principal/action pairs (with their conditions) the proposal trusts and the current trust policy does not. */
  widened: string[];
  /** Current pairs the proposal no longer trusts as broadly. */
  narrowed: string[];
}

export interface DiffReport {
  schema: 'codebuild-iam/diff@1';
  verdict: Verdict;
  /** Where the documents came from: a role ARN or file names. */
  current: { source: string; actions: number; services: number; boundary: boolean };
  proposed: { source: string; actions: number; services: number; boundary: boolean };
  summary: {
    actionsRemoved: number;
    actionsAdded: number;
    actionsKept: number;
    servicesRemoved: number;
    servicesAdded: number;
    resourcesWidened: number;
    resourcesNarrowed: number;
    conditionsAdded: number;
    conditionsRemoved: number;
  };
  /** Everything that widens, sorted by action. Empty when the verdict is not "widens" for actions. */
  widening: Widening[];
  services: ServiceDiff[];
  /** Present with --evidence. */
  usage?: {
    used: number;
    current: UsageCounts;
    proposed: UsageCounts;
    /** Actions the build used, or the proposal allows (the current-only unused actions are counted, not listed). */
    actions: ActionUsage[];
  };
  /** Present when both sides have a trust policy. */
  trust?: TrustDiff;
  /** Unified diff of the normalized documents (sorted keys and lists). */
  textDiff: string;
}
