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
}

export interface Decision {
  decision: EvaluationResult;
  identity: Verdict;
  /** Present when a non-empty boundary was given. */
  boundary?: Verdict;
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
