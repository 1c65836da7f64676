// Values the evaluator returns. A verdict names the statements that decided it so that callers can say
// "denied by statement X" or "no statement allows it".

export type EvaluationResult = 'Allow' | 'ImplicitDeny' | 'ExplicitDeny';

/** One statement of one document: indexes are 0-based positions in the arrays the caller passed. */
export interface StatementRef {
  document: number;
  statement: number;
  sid?: string;
}

/** What one set of documents (identity, or boundary) says about a request. */
export interface Verdict {
  result: EvaluationResult;
  /** Allow statements that match the request (all of them, in document then statement order). */
  allowedBy: StatementRef[];
  /** Deny statements that match the request; non-empty exactly when result is ExplicitDeny. */
  deniedBy: StatementRef[];
  /** Statements that apply or not depending on keys the request cannot tell (only with `unknownKeys`). */
  undecided?: PendingRef[];
}

/** A statement whose applying depends on context keys the request cannot tell. */
export interface PendingRef extends StatementRef {
  effect: 'Allow' | 'Deny';
  /** The lower-cased keys it depends on. */
  keys: string[];
}

export type PolicyKind = 'identity' | 'boundary' | 'scp';

export interface Decision {
  decision: EvaluationResult;
  identity: Verdict;
  /** Present when a non-empty boundary was given. */
  boundary?: Verdict;
  /** Present when service control policies were given: their Deny statements only. */
  scp?: Verdict;
  /**
   * Present when the result depends on keys the request cannot tell: `decision` is then the answer with
   * those statements left out, and these are the statements and keys that could change it.
   */
  undecided?: { keys: string[]; statements: Array<PendingRef & { policy: PolicyKind }> };
}

/** Condition context as the evaluator reads it: keys lower-cased, values as given. */
export type ContextValues = ReadonlyMap<string, string | readonly string[]>;

/** A statement with every string-or-list element turned into a list, as `normalizeStatements` returns it. */
export interface NormalizedStatement {
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  principal?: unknown;
  notPrincipal?: unknown;
  conditions: NormalizedCondition[];
}

/** One (operator, key) pair of a Condition block with its values as strings. */
export interface NormalizedCondition {
  operator: string;
  key: string;
  values: string[];
}
