// The project's own IAM policy evaluator for identity policies and permissions boundaries.
export type { Decision, EvaluationResult, NormalizedCondition, NormalizedStatement, PendingRef, PolicyKind, StatementRef, Verdict } from './types.js';
export { evaluate, explainDecision, type PolicySet } from './evaluate.js';
export { actionMatches, globMatches } from '../../iam/glob.js';
export { splitArn } from '../../iam/arn.js';
export {
  resourceMatches,
  compilePolicy,
  type CompiledPolicy,
  type CompiledStatement,
} from './statement.js';
export { normalizeStatements, type NormalizeOptions } from './normalize.js';
export { compileCondition, conditionHolds, conditionsHold, conditionsState, type CompiledCondition, type Holds, type UnknownKeys } from './condition.js';
export { parseOperator, OPERATOR_NAMES, type ParsedOperator } from './operators.js';
export { contextValues, requestContext, unknownKeysOf } from './context.js';
export { parseDate, parseNumber, parseIp, parseCidr, cidrContains } from './values.js';
