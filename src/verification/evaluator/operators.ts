// The condition operators IAM identity policies use, keyed by lower-cased name. Negated operators are
// their positive twin plus `negated`, so that both agree on what a value of the wrong type means.

export type OperatorKind =
  | 'string'
  | 'stringIgnoreCase'
  | 'like'
  | 'numeric'
  | 'date'
  | 'bool'
  | 'binary'
  | 'ip'
  | 'arn'
  | 'null';

export interface BaseOperator {
  name: string;
  kind: OperatorKind;
  negated: boolean;
  /** For numeric and date operators: the comparison of the request value with the policy value. */
  compare?: (request: number, policy: number) => boolean;
}

type Compare = (request: number, policy: number) => boolean;

/** An operator and, where IAM has one, its negated twin (StringLike and StringNotLike). */
function twins(kind: OperatorKind, name: string, negatedName?: string, compare?: Compare): BaseOperator[] {
  const op = (n: string, negated: boolean): BaseOperator => (compare ? { name: n, kind, negated, compare } : { name: n, kind, negated });
  return negatedName ? [op(name, false), op(negatedName, true)] : [op(name, false)];
}

const ORDERINGS: Array<[suffix: string, compare: Compare]> = [
  ['LessThan', (a, b) => a < b],
  ['LessThanEquals', (a, b) => a <= b],
  ['GreaterThan', (a, b) => a > b],
  ['GreaterThanEquals', (a, b) => a >= b],
];

/** Numeric and Date operators: Equals, NotEquals and the four orderings. */
function comparisons(kind: 'numeric' | 'date', prefix: string): BaseOperator[] {
  return [
    ...twins(kind, `${prefix}Equals`, `${prefix}NotEquals`, (a, b) => a === b),
    ...ORDERINGS.flatMap(([suffix, compare]) => twins(kind, `${prefix}${suffix}`, undefined, compare)),
  ];
}

const LIST: BaseOperator[] = [
  ...twins('string', 'StringEquals', 'StringNotEquals'),
  ...twins('stringIgnoreCase', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase'),
  ...twins('like', 'StringLike', 'StringNotLike'),
  ...comparisons('numeric', 'Numeric'),
  ...comparisons('date', 'Date'),
  ...twins('bool', 'Bool'),
  ...twins('binary', 'BinaryEquals'),
  ...twins('ip', 'IpAddress', 'NotIpAddress'),
  ...twins('arn', 'ArnEquals', 'ArnNotEquals'),
  ...twins('arn', 'ArnLike', 'ArnNotLike'),
  ...twins('null', 'Null'),
];

const BY_NAME = new Map(LIST.map((op) => [op.name.toLowerCase(), op]));

export interface ParsedOperator {
  base: BaseOperator;
  set?: 'ForAnyValue' | 'ForAllValues';
  ifExists: boolean;
}

/** Parses `ForAnyValue:StringLikeIfExists` and the like; undefined for an unknown operator. */
export function parseOperator(raw: string): ParsedOperator | undefined {
  let rest = raw;
  let set: ParsedOperator['set'];
  const lower = raw.toLowerCase();
  if (lower.startsWith('foranyvalue:')) {
    set = 'ForAnyValue';
    rest = raw.slice('ForAnyValue:'.length);
  } else if (lower.startsWith('forallvalues:')) {
    set = 'ForAllValues';
    rest = raw.slice('ForAllValues:'.length);
  }
  let ifExists = false;
  if (rest.toLowerCase().endsWith('ifexists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const base = BY_NAME.get(rest.toLowerCase());
  // IAM documents IfExists for every operator except Null.
  if (!base || (ifExists && base.kind === 'null')) return undefined;
  return set ? { base, set, ifExists } : { base, ifExists };
}

export const OPERATOR_NAMES: readonly string[] = LIST.map((op) => op.name);
