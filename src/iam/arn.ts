// ARNs, read in one place: arn:partition:service:region:account:resource. The resource field keeps any
// further colons (log-group:g:log-stream:s, secret:name-AbCdEf), and any field may be empty (S3 names no
// region or account). IAM compares ARNs field by field, so this is a split at the first five colons and
// nothing more: no field is validated or unescaped here; callers that need a shape check it themselves.

/** The five named fields of an ARN. */
export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the fifth colon, colons included. */
  resource: string;
}

/**
 * The six colon-separated fields of a string, the last keeping its colons; undefined when it has fewer than
 * five colons. The first field is not checked: IAM's matcher compares it like the others (`arn` for an ARN).
 */
export function splitArn(value: string): string[] | undefined {
  const fields: string[] = [];
  let start = 0;
  for (let k = 0; k < 5; k++) {
    const colon = value.indexOf(':', start);
    if (colon === -1) return undefined;
    fields.push(value.slice(start, colon));
    start = colon + 1;
  }
  fields.push(value.slice(start));
  return fields;
}

/** An ARN's fields, or undefined when the value does not start with `arn:` or has fewer than five colons. */
export function parseArn(value: string): Arn | undefined {
  if (!value.startsWith('arn:')) return undefined;
  const f = splitArn(value);
  return f && { partition: f[1], service: f[2], region: f[3], account: f[4], resource: f[5] };
}

/** An ARN's partition when it has a partition's shape (aws, aws-cn, aws-us-gov: lower-case letters and hyphens). */
export function partitionOf(value: string): string | undefined {
  const partition = parseArn(value)?.partition;
  return partition !== undefined && /^[a-z-]+$/.test(partition) ? partition : undefined;
}

/** The ARN of the fields: `formatArn(parseArn(x))` is `x` for every ARN. */
export function formatArn(arn: Arn): string {
  return `arn:${arn.partition}:${arn.service}:${arn.region}:${arn.account}:${arn.resource}`;
}
