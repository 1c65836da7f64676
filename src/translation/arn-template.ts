// ARN templates of the IAM service reference ("arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}"):
// matching an ARN from a record against them, and filling them from request values. Values from logs are
// attacker-controlled, so characters that IAM reads as wildcards are escaped with IAM's own escapes.

export interface CompiledTemplate {
  template: string;
  variables: string[];
  regex: RegExp;
}

const cache = new Map<string, CompiledTemplate>();
const VAR = /\$\{([A-Za-z0-9]+)\}/g;
const ENV_VARS = new Set(['Partition', 'Region', 'Account']);
// Variables that cannot hold the separator that follows them elsewhere in ARNs of the same service; without
// these, "arn:aws:s3:::b/key" would also read as a bucket named "b/key".
const NARROW_VARS: Record<string, string> = {
  BucketName: '[^/]+',
  AccessPointName: '[^/]+',
  LogGroupName: '[^:]+',
  LogStreamName: '[^:]+',
  KeyId: '[^/:]+',
  // A function ARN may end in a version or alias qualifier (function:name:prod), which names the qualified function.
  FunctionName: '[^:]+(?::[^:]+)?',
  SubnetId: '[^/]+',
  SecurityGroupId: '[^/]+',
  NetworkInterfaceId: '[^/]+',
  ProjectName: '[^/:]+',
  ReportGroupName: '[^/:]+',
};

export function compileTemplate(template: string): CompiledTemplate {
  let hit = cache.get(template);
  if (hit) return hit;
  const variables: string[] = [];
  let pattern = '';
  let last = 0;
  for (const m of template.matchAll(VAR)) {
    pattern += escapeRegex(template.slice(last, m.index));
    variables.push(m[1]);
    // Partition, region and account never hold a colon; the last variable takes the rest.
    pattern += ENV_VARS.has(m[1]) ? '([^:]*)' : `(${NARROW_VARS[m[1]] ?? '.+'})`;
    last = (m.index ?? 0) + m[0].length;
  }
  pattern += escapeRegex(template.slice(last));
  hit = { template, variables, regex: new RegExp(`^${pattern}$`) };
  cache.set(template, hit);
  return hit;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Control characters and the like have no place in an ARN; such values are refused, not escaped. */
export function isUnsafeValue(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f\u2028\u2029"\\]/.test(value) || value.length > 2048;
}

/**
 * A value that can stand as an ARN's region: lower-case letters, digits and hyphens ("us-east-1"), so no
 * wildcard, colon or quote from a log can pass. Test data's made-up regions pass too; they widen nothing.
 */
export function isRegionName(value: unknown): value is string {
  return typeof value === 'string' && /^[a-z][a-z0-9-]{0,63}$/.test(value);
}

/** A value that can stand as an ARN's account: letters and digits only (real ones are 12 digits). */
export function isAccountId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9]{1,64}$/.test(value);
}

/** Escapes IAM wildcard and variable characters so a literal value stays literal in a policy. */
export function escapeIamLiteral(value: string): string {
  return value.replace(/[*?$]/g, (c) => `\${${c}}`);
}

export function hasIamWildcardChars(value: string): boolean {
  return /[*?$]/.test(value);
}

/** Fills a template. Values must already be escaped; returns undefined if a variable has no value. */
export function fillTemplate(template: string, values: Record<string, string>): string | undefined {
  let missing = false;
  const out = template.replace(VAR, (_m, name: string) => {
    const v = values[name];
    if (v === undefined) missing = true;
    return v ?? '';
  });
  return missing ? undefined : out;
}

