// A statement compiled once for many requests: action patterns (case-insensitive), resource patterns
// (case-sensitive ARN segments, with policy variables) and conditions.

import { InvalidInput } from '../../errors.js';
import type { PolicyDocument } from '../../model.js';
import { splitArn } from '../../iam/arn.js';
import { arnPatternMatches, compileArnPattern, type ArnPattern } from './arn.js';
import { compileCondition, conditionsHold, conditionsState, type CompiledCondition, type Holds, type UnknownKeys } from './condition.js';
import { contextValues } from './context.js';
import { normalizeStatements, type NormalizeOptions } from './normalize.js';
import type { ContextValues, NormalizedStatement } from './types.js';
import { actionMatches } from '../../iam/glob.js';
import { parseTemplate, templateKeys } from './variables.js';

export interface CompiledStatement {
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  actions: string[];
  notAction: boolean;
  /** Undefined when the statement has neither Resource nor NotResource (resource-based policies). */
  resources?: ArnPattern[];
  notResource: boolean;
  conditions: CompiledCondition[];
  /** Lower-cased context keys that policy variables in Resource/NotResource read. */
  resourceReads: string[];
}

export interface CompiledPolicy {
  statements: CompiledStatement[];
  /** Action -> the statements whose Action/NotAction matches it; actions repeat a lot in a replay. */
  byAction: Map<string, CompiledStatement[]>;
}

/** Whether a statement's Action/NotAction element matches an action. */
export function statementMatchesAction(s: CompiledStatement, action: string): boolean {
  return s.actions.some((p) => actionMatches(p, action)) !== s.notAction;
}

/** The statements of a compiled policy that can apply to an action, in statement order. */
export function candidates(policy: CompiledPolicy, action: string): CompiledStatement[] {
  let list = policy.byAction.get(action);
  if (list === undefined) {
    list = policy.statements.filter((s) => statementMatchesAction(s, action));
    policy.byAction.set(action, list);
  }
  return list;
}

/**
 * Whether a Resource pattern matches a resource ARN: `*` matches everything, otherwise segment by segment,
 * case-sensitive, with policy variables resolved from `context`. An unresolvable variable never matches.
 */
export function resourceMatches(pattern: string, arn: string, context?: Record<string, string | string[]>): boolean {
  const compiled = compileArnPattern(parseTemplate(pattern, true), true)!;
  return arnPatternMatches(compiled, arn, splitArn(arn), contextValues(context)) === 'match';
}

export function compileStatement(s: NormalizedStatement, variables: boolean): CompiledStatement {
  const compiled: CompiledStatement = {
    index: s.index,
    effect: s.effect,
    actions: s.action ?? s.notAction ?? [],
    notAction: s.notAction !== undefined,
    notResource: s.notResource !== undefined,
    conditions: s.conditions.map((c) => compileCondition(c, variables)!),
    resourceReads: [],
  };
  if (s.sid !== undefined) compiled.sid = s.sid;
  const resources = s.resource ?? s.notResource;
  if (resources) {
    const templates = resources.map((r) => parseTemplate(r, variables));
    compiled.resources = templates.map((t) => compileArnPattern(t, true)!);
    compiled.resourceReads = [...new Set(templates.flatMap(templateKeys))];
  }
  return compiled;
}

const compiledDocs = new WeakMap<object, CompiledPolicy>();

/** The compiled statements of a document compiled before, if any. */
export function cachedPolicy(doc: PolicyDocument): CompiledPolicy | undefined {
  return compiledDocs.get(doc);
}

/**
 * Validates and compiles a document (cached per document object, so do not mutate a document after
 * evaluating it). Throws InvalidInput naming the statement for a malformed document.
 */
export function compilePolicy(doc: PolicyDocument, options: NormalizeOptions = {}): CompiledPolicy {
  if (typeof doc !== 'object' || doc === null) {
    throw new InvalidInput(`${options.where ?? 'the policy document'} is not a JSON object; pass an IAM policy document.`, { where: options.where });
  }
  let compiled = compiledDocs.get(doc);
  if (compiled === undefined) {
    // Policy variables exist only in Version 2012-10-17; older documents read `${...}` literally.
    const variables = doc.Version === '2012-10-17';
    compiled = { statements: normalizeStatements(doc, options).map((s) => compileStatement(s, variables)), byAction: new Map() };
    compiledDocs.set(doc, compiled);
  }
  return compiled;
}

/** Resource/NotResource and Condition of a statement whose action is known to match. */
export function statementAppliesToResource(
  s: CompiledStatement,
  resource: string,
  resourceParts: string[] | undefined,
  context: ContextValues,
): boolean {
  if (s.resources) {
    if (s.notResource) {
      // NotResource applies only when every pattern definitely does not match.
      for (const p of s.resources) if (arnPatternMatches(p, resource, resourceParts, context) !== 'nomatch') return false;
    } else if (!s.resources.some((p) => arnPatternMatches(p, resource, resourceParts, context) === 'match')) {
      return false;
    }
  }
  return conditionsHold(s.conditions, context);
}

/**
 * Resource/NotResource and Condition in three-valued logic: undecided (with the keys) when the answer
 * depends on a key the request cannot tell, in a condition or in a policy variable of the resource.
 */
export function statementState(
  s: CompiledStatement,
  resource: string,
  resourceParts: string[] | undefined,
  context: ContextValues,
  unknown: UnknownKeys,
): { holds: Holds; keys: string[] } {
  const resourceUnknown = s.resourceReads.filter((k) => !context.has(k) && unknown(k));
  if (resourceUnknown.length === 0 && s.resources) {
    const hit = s.notResource
      ? s.resources.every((p) => arnPatternMatches(p, resource, resourceParts, context) === 'nomatch')
      : s.resources.some((p) => arnPatternMatches(p, resource, resourceParts, context) === 'match');
    if (!hit) return { holds: false, keys: [] };
  }
  const conditions = conditionsState(s.conditions, context, unknown);
  if (conditions.holds === false) return conditions;
  const keys = [...resourceUnknown, ...conditions.keys];
  return keys.length > 0 ? { holds: 'unknown', keys: [...new Set(keys)] } : { holds: true, keys };
}
