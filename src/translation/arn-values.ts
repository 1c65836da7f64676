// Turns raw request values into ARN template values. Every function escapes what came from the log (so a
// bucket named "*" stays a literal) and may add wildcards of its own where AWS adds characters we cannot
// know (the six random characters at the end of a secret's ARN).
import { parseArn } from '../iam/arn.js';
import { escapeIamLiteral } from './arn-template.js';

export type ValueTransform = (raw: string) => string | undefined;

const lit = escapeIamLiteral;
// A DynamoDB Streams shard iterator starts with the stream's ARN, then "|" and an opaque token (SDK->IAM map,
// GetRecords). Only a stream ARN of a literal table name and a stream label is read; the token never is.
const SHARD_ITERATOR = /^arn:[a-z-]+:dynamodb:[a-z0-9-]+:(\d{12}):table\/([A-Za-z0-9_.-]{1,255})\/stream\/(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})\|/;
/** `re` run on the resource field of an ARN of `service` (with a partition), or null when raw is no such ARN. */
function arnResource(raw: string, service: string, re: RegExp, regionless = false): RegExpExecArray | null {
  const arn = parseArn(raw);
  if (!arn || arn.partition === '' || arn.service !== service || (regionless && arn.region !== '')) return null;
  return re.exec(arn.resource);
}

const INFERENCE_PROFILE = /^(?:us|us-gov|eu|apac|jp|au|ca|global)\.[a-z0-9-]+\.[A-Za-z0-9._:-]+$/;

export const transforms: Record<string, ValueTransform> = {
  // "/app/db-url", "app/db-url", "arn:aws:ssm:r:a:parameter/app/db-url", each maybe with ":3" or ":label".
  ssmParameterName(raw) {
    let name = raw;
    const arn = arnResource(raw, 'ssm', /^parameter\/(.+)$/);
    if (arn) name = arn[1];
    name = name.replace(/:[^:/]+$/, '');
    return lit(name.replace(/^\/+/, ''));
  },
  ssmParameterPath(raw) {
    const path = raw.replace(/^\/+/, '').replace(/\/+$/, '');
    return path === '' ? '*' : `${lit(path)}/*`;
  },
  // A full secret ARN ends in "-" and six random characters; a name or a partial ARN lacks them.
  secretNameOrArn(raw) {
    const arn = arnResource(raw, 'secretsmanager', /^secret:(.+)$/);
    const id = arn ? arn[1] : raw;
    if (arn && /-[A-Za-z0-9]{6}$/.test(id)) return lit(id);
    return `${lit(id)}-??????`;
  },
  // Only key IDs and key ARNs name a key; an alias does not (the key comes from resources[] instead).
  kmsKeyId(raw) {
    const arn = arnResource(raw, 'kms', /^key\/(.+)$/);
    if (arn) return lit(arn[1]);
    if (/^(mrk-)?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$|^mrk-[0-9a-f]{32}$/i.test(raw)) return lit(raw);
    return undefined;
  },
  // "fn", "fn:qual", "123456789012:function:fn", "arn:aws:lambda:r:a:function:fn[:qual]". A version or alias
  // qualifier is kept: a grant on the unqualified function does not allow the qualified call.
  lambdaFunctionName(raw) {
    const m = /^(?:arn:[^:]+:lambda:[^:]*:)?(?:\d{12}:)?(?:function:)?([A-Za-z0-9_-]+)(:[A-Za-z0-9_$-]+)?$/.exec(raw);
    return m ? lit(m[1] + (m[2] ?? '')) : undefined;
  },
  lambdaLayerName(raw) {
    const m = /(?:layer:)?([A-Za-z0-9_-]+)(?::\d+)?$/.exec(raw);
    return m ? lit(m[1]) : undefined;
  },
  logGroupFromIdentifier(raw) {
    const m = arnResource(raw, 'logs', /^log-group:([^:]+)(?::\*)?$/);
    return lit(m ? m[1] : raw);
  },
  // A queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>, or the legacy queue.amazonaws.com forms)
  // carries the queue owner's account.
  sqsQueueUrlAccount(raw) {
    const m = /^https?:\/\/(?:sqs\.[a-z0-9-]+|[a-z0-9-]+\.queue|queue)\.amazonaws\.com(?:\.cn)?\/(\d{12})\/[^/]+\/?$/.exec(raw);
    return m ? m[1] : undefined;
  },
  // Bedrock model IDs: "vendor.model-v1:0" names a foundation model; a geography prefix ("us.", "eu.", "apac.",
  // "global."...) names a system inference profile. ARNs are matched whole, not here.
  bedrockFoundationModel(raw) {
    if (raw.startsWith('arn:') || INFERENCE_PROFILE.test(raw)) return undefined;
    return /^[a-z0-9-]+\.[A-Za-z0-9._:-]+$/.test(raw) ? lit(raw) : undefined;
  },
  bedrockInferenceProfile(raw) {
    return !raw.startsWith('arn:') && INFERENCE_PROFILE.test(raw) ? lit(raw) : undefined;
  },
  lastSlashSegment(raw) {
    const seg = raw.slice(raw.lastIndexOf('/') + 1);
    return seg ? lit(seg) : undefined;
  },
  // A report's ARN is report/<report group name>:<report id>; test-case and report calls are authorized on the group.
  reportGroupOfReport(raw) {
    const m = arnResource(raw, 'codebuild', /^report\/([^:/]+):[^:/]+$/);
    return m ? lit(m[1]) : undefined;
  },
  dynamodbShardIteratorAccount(raw) {
    return SHARD_ITERATOR.exec(raw)?.[1];
  },
  dynamodbShardIteratorTable(raw) {
    const m = SHARD_ITERATOR.exec(raw);
    return m ? lit(m[2]) : undefined;
  },
  dynamodbShardIteratorStreamLabel(raw) {
    const m = SHARD_ITERATOR.exec(raw);
    return m ? lit(m[3]) : undefined;
  },
  lastColonSegment(raw) {
    const seg = raw.slice(raw.lastIndexOf(':') + 1);
    return seg ? lit(seg) : undefined;
  },
  stackNameOnly(raw) {
    const m = arnResource(raw, 'cloudformation', /^stack\/([^/]+)\//);
    return lit(m ? m[1] : raw);
  },
  iamPolicyNameWithPath(raw) {
    const m = arnResource(raw, 'iam', /^policy\/(.+)$/, true);
    return m ? lit(m[1]) : undefined;
  },
};

/** "bucket/key?versionId=x", URL-encoded, with or without a leading slash -> "bucket/key" (escaped), or undefined. */
export function s3CopySource(raw: string): string | undefined {
  let v = raw;
  try {
    v = decodeURIComponent(raw);
  } catch {
    /* keep the raw value */
  }
  v = v.replace(/^\/+/, '').replace(/\?versionId=.*$/, '');
  const slash = v.indexOf('/');
  if (slash <= 0 || slash === v.length - 1) return undefined;
  return lit(v);
}
