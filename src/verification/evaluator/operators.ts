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

const eq = (a: number, b: number): boolean => a === b;
const lt = (a: number, b: number): boolean => a < b;
const le = (a: number, b: number): boolean => a <= b;
const gt = (a: number, b: number): boolean => a > b;
const ge = (a: number, b: number): boolean => a >= b;

const LIST: BaseOperator[] = [
  { name: 'StringEquals', kind: 'string', negated: false },
  { name: 'StringNotEquals', kind: 'string', negated: true },
  { name: 'StringEqualsIgnoreCase', kind: 'stringIgnoreCase', negated: false },
  { name: 'StringNotEqualsIgnoreCase', kind: 'stringIgnoreCase', negated: true },
  { name: 'StringLike', kind: 'like', negated: false },
  { name: 'StringNotLike', kind: 'like', negated: true },
  { name: 'NumericEquals', kind: 'numeric', negated: false, compare: eq },
  { name: 'NumericNotEquals', kind: 'numeric', negated: true, compare: eq },
  { name: 'NumericLessThan', kind: 'numeric', negated: false, compare: lt },
  { name: 'NumericLessThanEquals', kind: 'numeric', negated: false, compare: le },
  { name: 'NumericGreaterThan', kind: 'numeric', negated: false, compare: gt },
  { name: 'NumericGreaterThanEquals', kind: 'numeric', negated: false, compare: ge },
  { name: 'DateEquals', kind: 'date', negated: false, compare: eq },
  { name: 'DateNotEquals', kind: 'date', negated: true, compare: eq },
  { name: 'DateLessThan', kind: 'date', negated: false, compare: lt },
  { name: 'DateLessThanEquals', kind: 'date', negated: false, compare: le },
  { name: 'DateGreaterThan', kind: 'date', negated: false, compare: gt },
  { name: 'DateGreaterThanEquals', kind: 'date', negated: false, compare: ge },
  { name: 'Bool', kind: 'bool', negated: false },
  { name: 'BinaryEquals', kind: 'binary', negated: false },
  { name: 'IpAddress', kind: 'ip', negated: false },
  { name: 'NotIpAddress', kind: 'ip', negated: true },
  { name: 'ArnEquals', kind: 'arn', negated: false },
  { name: 'ArnLike', kind: 'arn', negated: false },
  { name: 'ArnNotEquals', kind: 'arn', negated: true },
  { name: 'ArnNotLike', kind: 'arn', negated: true },
  { name: 'Null', kind: 'null', negated: false },
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
