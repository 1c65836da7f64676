// Condition blocks: AND across operators and keys, OR across values (NOR for negated operators), with
// IAM's rules for missing keys: a missing key fails a positive operator, satisfies a negated one and any
// `...IfExists`, satisfies `ForAllValues:` and fails `ForAnyValue:`. A multivalued key (an array in the
// context) needs a set operator: a single-valued operator never matches it.

import { splitArn } from '../../iam/arn.js';
import { arnPatternMatches, compileArnPattern, type ArnPattern, type Tri } from './arn.js';
import { parseOperator, type ParsedOperator } from './operators.js';
import type { ContextValues, NormalizedCondition } from './types.js';
import { cidrContains, parseBool, parseCidr, parseDate, parseIp, parseNumber, type Cidr } from './values.js';
import { parseTemplate, resolve, resolvedText, templateKeys, templateMatches, type Template } from './variables.js';

type PolicyValue =
  | { kind: 'template'; template: Template }
  | { kind: 'number'; value: number | undefined }
  | { kind: 'cidr'; value: Cidr | undefined }
  | { kind: 'arn'; value: ArnPattern | undefined }
  | { kind: 'raw'; value: string };

export interface CompiledCondition {
  operator: string;
  key: string;
  lowerKey: string;
  op: ParsedOperator;
  values: PolicyValue[];
  /** For StringEquals(IgnoreCase) without variables: the values as a set, for a fast lookup. */
  fixedSet?: Set<string>;
  /** For Null: which presence each value asks for (true = absent); undefined for a value that is neither. */
  nullWants?: Array<boolean | undefined>;
  /** Every lower-cased context key the condition reads: its key and the variables in its values. */
  reads: string[];
}

/** Compiles one (operator, key, values) triple; undefined for an unknown operator. */
export function compileCondition(c: NormalizedCondition, variables: boolean): CompiledCondition | undefined {
  const op = parseOperator(c.operator);
  if (!op) return undefined;
  const kind = op.base.kind;
  const lowerKey = c.key.toLowerCase();
  const compiled: CompiledCondition = { operator: c.operator, key: c.key, lowerKey, op, values: [], reads: [lowerKey] };
  if (kind === 'null') {
    compiled.nullWants = c.values.map((v) => parseBool(v));
    return compiled;
  }
  compiled.values = c.values.map((v): PolicyValue => {
    switch (kind) {
      case 'numeric':
        return { kind: 'number', value: parseNumber(v) };
      case 'date':
        return { kind: 'number', value: parseDate(v) };
      case 'ip':
        return { kind: 'cidr', value: parseCidr(v) };
      case 'binary':
        return { kind: 'raw', value: v };
      case 'arn':
        return { kind: 'arn', value: compileArnPattern(parseTemplate(v, variables), false) };
      default:
        return { kind: 'template', template: parseTemplate(v, variables) };
    }
  });
  if (variables) {
    const reads = new Set(compiled.reads);
    for (const v of c.values) for (const k of templateKeys(parseTemplate(v, true))) reads.add(k);
    compiled.reads = [...reads];
  }
  if ((kind === 'string' || kind === 'stringIgnoreCase') && compiled.values.every((v) => v.kind === 'template' && v.template.fixed)) {
    const texts = compiled.values.map((v) => resolvedText((v as { template: Template }).template.fixed!));
    compiled.fixedSet = new Set(kind === 'string' ? texts : texts.map((t) => t.toLowerCase()));
  }
  return compiled;
}

function testValue(c: CompiledCondition, pv: PolicyValue, value: string, context: ContextValues): Tri {
  const base = c.op.base;
  switch (pv.kind) {
    case 'number': {
      const parsed = base.kind === 'date' ? parseDate(value) : parseNumber(value);
      if (pv.value === undefined || parsed === undefined) return 'invalid';
      return base.compare!(parsed, pv.value) ? 'match' : 'nomatch';
    }
    case 'cidr': {
      const ip = parseIp(value);
      if (pv.value === undefined || ip === undefined) return 'invalid';
      return cidrContains(pv.value, ip) ? 'match' : 'nomatch';
    }
    case 'raw':
      return pv.value === value ? 'match' : 'nomatch';
    case 'arn':
      if (pv.value === undefined) return 'invalid';
      {
        const parts = splitArn(value);
        return parts === undefined ? 'invalid' : arnPatternMatches(pv.value, value, parts, context);
      }
    case 'template': {
      if (base.kind === 'like') {
        const hit = templateMatches(pv.template, value, context);
        return hit === undefined ? 'invalid' : hit ? 'match' : 'nomatch';
      }
      const pieces = resolve(pv.template, context);
      if (pieces === undefined) return 'invalid';
      switch (base.kind) {
        case 'stringIgnoreCase':
          return resolvedText(pieces).toLowerCase() === value.toLowerCase() ? 'match' : 'nomatch';
        case 'bool': {
          const want = parseBool(resolvedText(pieces));
          const got = parseBool(value);
          if (want === undefined || got === undefined) return 'invalid';
          return want === got ? 'match' : 'nomatch';
        }
        default:
          return resolvedText(pieces) === value ? 'match' : 'nomatch';
      }
    }
  }
}

/** The operator applied to one request value: OR over the policy values, NOR for a negated operator. */
function holdsFor(c: CompiledCondition, value: string, context: ContextValues): boolean {
  if (c.fixedSet) {
    const hit = c.fixedSet.has(c.op.base.kind === 'string' ? value : value.toLowerCase());
    return c.op.base.negated ? !hit : hit;
  }
  if (c.op.base.negated) {
    for (const pv of c.values) if (testValue(c, pv, value, context) !== 'nomatch') return false;
    return true;
  }
  for (const pv of c.values) if (testValue(c, pv, value, context) === 'match') return true;
  return false;
}

/** Whether one compiled condition holds for a context. */
export function conditionHolds(c: CompiledCondition, context: ContextValues): boolean {
  const value = context.get(c.lowerKey);
  if (c.nullWants) {
    const absent = value === undefined;
    return c.nullWants.some((want) => want === absent);
  }
  const { set, ifExists, base } = c.op;
  if (set) {
    // ForAllValues is vacuously true without the key; ForAnyValue false unless IfExists says otherwise.
    if (value === undefined) return set === 'ForAllValues' || ifExists;
    const values = typeof value === 'string' ? [value] : value;
    return set === 'ForAllValues'
      ? values.every((v) => holdsFor(c, v, context))
      : values.some((v) => holdsFor(c, v, context));
  }
  if (value === undefined) return ifExists || base.negated;
  if (typeof value !== 'string') return false;
  return holdsFor(c, value, context);
}

/** Whether all conditions of a statement hold (true for none). */
export function conditionsHold(conditions: readonly CompiledCondition[], context: ContextValues): boolean {
  for (const c of conditions) if (!conditionHolds(c, context)) return false;
  return true;
}

/** Keys that a request cannot tell (absent from its context, yet AWS would have a value for them). */
export type UnknownKeys = (lowerKey: string) => boolean;

/** True, false, or undecided: the condition reads a key that the request cannot tell. */
export type Holds = boolean | 'unknown';

/** The keys among a condition's reads that are missing from the context and unknown. */
export function unknownReads(c: CompiledCondition, context: ContextValues, unknown: UnknownKeys): string[] {
  let out: string[] | undefined;
  for (const k of c.reads) if (!context.has(k) && unknown(k)) (out ??= []).push(k);
  return out ?? [];
}

/**
 * All conditions of a statement in three-valued logic: false as soon as one known condition fails (AND),
 * else undecided when a condition reads an unknown key (with those keys), else true.
 */
export function conditionsState(conditions: readonly CompiledCondition[], context: ContextValues, unknown: UnknownKeys): { holds: Holds; keys: string[] } {
  const keys: string[] = [];
  for (const c of conditions) {
    const missing = unknownReads(c, context, unknown);
    if (missing.length > 0) keys.push(...missing);
    else if (!conditionHolds(c, context)) return { holds: false, keys: [] };
  }
  return keys.length > 0 ? { holds: 'unknown', keys } : { holds: true, keys };
}
