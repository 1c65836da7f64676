// The IAM policy language, read once: every policy document the tool is given (verify's --policy and
// --boundary, diff's --proposed and --current, export's input, generate's --current-trust, the evaluator's
// documents) goes through these rules, so no command accepts what another refuses. The input is untrusted:
// every field is checked, anything we could not treat faithfully is refused, and messages say where
// (file, Statement[i].Element), never quote values.
import { InvalidInput } from '../errors.js';
import { parseJsonText } from '../json-text.js';
import type { ConditionBlock, PolicyDocument, PolicyStatement, Principal, StringOrList } from '../model.js';
import { interpolationEnd } from '../rendering/hcl.js';
import { parseOperator } from '../verification/evaluator/operators.js';

/** The one error type for a document that is not a valid IAM policy (exit 2 at the CLI). */
export class PolicyDocumentError extends InvalidInput {}

/**
 * `identity`: identity policies and permissions boundaries (need Resource or NotResource, no Principal).
 * `resource`: resource-based and trust policies (need a Principal). `any`: either, decided per statement (export).
 */
export type PolicyKind = 'identity' | 'resource' | 'any';

const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);
const DOCUMENT_KEYS = new Set(['Version', 'Id', 'Statement']);
const ACTION = /^[^:\s]+:[^:\s]+$/;
/** Policy documents are a few levels deep; a much deeper input is hostile and would exhaust the stack. */
const MAX_DEPTH = 32;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const fail = (message: string): never => {
  throw new PolicyDocumentError(message);
};

/** A key as it may appear in a one-line message: plain names as they are, anything odd quoted and cut short. */
export function keyForMessage(key: string): string {
  if (/^[\w:/.*-]{1,64}$/.test(key)) return key;
  const quoted = JSON.stringify(key);
  return quoted.length > 40 ? `${quoted.slice(0, 37)}..."` : quoted;
}
const seg = keyForMessage;

/** The path of the first CloudFormation intrinsic function (`Ref`, `Fn::Sub`, ...) inside `value`, if any. */
function findIntrinsic(value: unknown, path: string, where: string, depth = 0): string | undefined {
  if (depth > MAX_DEPTH) fail(`${where} is nested more than ${MAX_DEPTH} levels deep, which no IAM policy document is`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findIntrinsic(value[i], `${path}[${i}]`, where, depth + 1);
      if (found) return found;
    }
  } else if (isObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'Ref' || key.startsWith('Fn::')) return `${seg(key)} at ${path || 'the top level'}`;
      const found = findIntrinsic(v, path ? `${path}.${seg(key)}` : seg(key), where, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

function refuseCloudFormation(value: Record<string, unknown>, where: string): void {
  const hint = 'pass the plain IAM policy document (the value of PolicyDocument) with every intrinsic function resolved';
  if ('Resources' in value || 'AWSTemplateFormatVersion' in value) fail(`${where} is a CloudFormation template, not an IAM policy document; ${hint}`);
  const intrinsic = findIntrinsic(value, '', where);
  const wrapped = ['PolicyDocument', 'AssumeRolePolicyDocument'].find((k) => k in value);
  if (wrapped && intrinsic) fail(`${where} looks like a CloudFormation snippet (a ${wrapped} property, ${intrinsic}); ${hint}`);
  if (intrinsic) fail(`${where} uses a CloudFormation intrinsic function (${intrinsic}); ${hint}`);
  // Also what `aws iam get-role-policy` prints: the document sits one level down.
  if (wrapped) fail(`${where} wraps the policy in a ${wrapped} element; pass only the document (with the AWS CLI: --query ${wrapped})`);
}

function stringOrList(value: unknown, where: string): StringOrList {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    if (value.length === 0) fail(`${where} is an empty list; list at least one value or remove the element`);
    return value as string[];
  }
  return fail(`${where} must be a string or a list of strings; fix the policy document`);
}

const list = (v: StringOrList): string[] => (typeof v === 'string' ? [v] : v);

function principal(value: unknown, where: string): Principal {
  if (value === '*') return '*';
  if (!isObject(value) || !Object.keys(value).length) {
    fail(`${where} must be "*" or an object such as {"Service": "codebuild.amazonaws.com"}; fix the policy document`);
  }
  // fromEntries defines own properties, so even a key named "__proto__" is kept rather than lost.
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([type, ids]) => [type, stringOrList(ids, `${where}.${seg(type)}`)]));
}

type ConditionValue = ConditionBlock[string][string];

function conditionValue(value: unknown, where: string): ConditionValue {
  const scalar = (v: unknown): v is string | boolean | number =>
    typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
  if (scalar(value)) return value;
  if (Array.isArray(value) && value.every(scalar)) {
    if (value.length === 0) fail(`${where} is an empty list; list at least one value`);
    return value;
  }
  return fail(`${where} must be a string, number, boolean or a list of them; fix the policy document`);
}

function condition(value: unknown, where: string): ConditionBlock {
  if (!isObject(value)) fail(`${where} must be an object of operators such as {"StringEquals": {"key": "value"}}; fix the policy document`);
  // Built with fromEntries (own properties) so that no key, "__proto__" included, can vanish.
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([operator, keys]) => {
      if (!parseOperator(operator)) fail(`${where} uses the unknown condition operator ${seg(operator)}; use an IAM condition operator such as StringEquals`);
      if (!isObject(keys)) fail(`${where}.${seg(operator)} must be an object of condition keys; fix the policy document`);
      return [operator, Object.fromEntries(Object.entries(keys as Record<string, unknown>).map(([key, v]) => [key, conditionValue(v, `${where}.${seg(operator)}.${seg(key)}`)]))];
    }),
  );
}

/** A resource we can reason about: an ARN, "*", or a template reference (`${aws_s3_bucket.b.arn}/*`) left for Terraform. */
const usableResource = (r: string): boolean => r === '*' || r.startsWith('arn:') || r.startsWith('${');

function statement(value: unknown, where: string, kind: PolicyKind): PolicyStatement {
  if (!isObject(value)) return fail(`${where} must be an object; write each statement as {"Effect": ..., "Action": ..., ...}`);
  const unknown = Object.keys(value).filter((k) => !STATEMENT_KEYS.has(k));
  if (unknown.length) fail(`${where} has an element IAM does not know (${unknown.map(seg).join(', ')}); remove it or fix its spelling (names are case-sensitive)`);
  if (value.Effect !== 'Allow' && value.Effect !== 'Deny') fail(`${where}.Effect must be "Allow" or "Deny"; fix the policy document`);
  const out: PolicyStatement = { Effect: value.Effect as 'Allow' | 'Deny' };
  if (value.Sid !== undefined) {
    if (typeof value.Sid !== 'string') fail(`${where}.Sid must be a string; fix the policy document`);
    out.Sid = value.Sid as string;
  }
  for (const key of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
    if (value[key] !== undefined) out[key] = stringOrList(value[key], `${where}.${key}`);
  }
  for (const key of ['Principal', 'NotPrincipal'] as const) {
    if (value[key] !== undefined) out[key] = principal(value[key], `${where}.${key}`);
  }
  if (value.Condition !== undefined) out.Condition = condition(value.Condition, `${where}.Condition`);
  const both = (['Action', 'Resource', 'Principal'] as const).find((k) => out[k] !== undefined && out[`Not${k}`] !== undefined);
  if (both) fail(`${where} has both ${both} and Not${both}; IAM allows only one of them`);
  if (out.Action === undefined && out.NotAction === undefined) fail(`${where} has neither Action nor NotAction; add an Action list`);
  const actionKey = out.Action !== undefined ? 'Action' : 'NotAction';
  list((out.Action ?? out.NotAction) as StringOrList).forEach((a, i) => {
    if (a !== '*' && !ACTION.test(a)) fail(`${where}.${actionKey}[${i}] is not "service:action" or "*"; write actions as service:Action`);
  });
  const resources = out.Resource ?? out.NotResource;
  const resourceKey = out.Resource !== undefined ? 'Resource' : 'NotResource';
  list(resources ?? []).forEach((r, i) => {
    if (!usableResource(r)) fail(`${where}.${resourceKey}[${i}] is neither an ARN nor "*"; write resources as ARNs`);
  });
  const hasPrincipal = out.Principal !== undefined || out.NotPrincipal !== undefined;
  if (kind === 'identity') {
    if (hasPrincipal) fail(`${where} names a Principal, which identity policies and permissions boundaries cannot; remove Principal/NotPrincipal`);
    if (resources === undefined) fail(`${where} has neither Resource nor NotResource; add a Resource list ("*" for every resource)`);
  }
  if (kind === 'resource' && !hasPrincipal) fail(`${where} has no Principal; add the Principal the policy applies to`);
  return out;
}

/**
 * Checks a parsed JSON value and returns it as a PolicyDocument (a single-object Statement becomes a list).
 * `where` names the input in messages, e.g. the file path. Throws PolicyDocumentError on anything else,
 * including CloudFormation templates and snippets, which need their intrinsic functions resolved first.
 */
export function toPolicyDocument(value: unknown, where: string, kind: PolicyKind = 'any'): PolicyDocument {
  if (!isObject(value)) return fail(`${where} is not an IAM policy document (expected a JSON object)`);
  refuseCloudFormation(value, where);
  if (value.Statement === undefined) {
    fail(`${where} is not an IAM policy document: it has no Statement; pass a document like {"Version": "2012-10-17", "Statement": [...]}`);
  }
  const unknown = Object.keys(value).filter((k) => !DOCUMENT_KEYS.has(k));
  if (unknown.length) fail(`${where} has top-level elements IAM does not know (${unknown.map(seg).join(', ')}); pass only the policy document`);
  const version = value.Version ?? '2012-10-17';
  if (version !== '2012-10-17' && version !== '2008-10-17') fail(`${where} has a Version IAM does not know; use "2012-10-17" (or "2008-10-17")`);
  const raw = value.Statement;
  const statements = Array.isArray(raw) ? raw : [raw];
  const doc: PolicyDocument = { Version: version as PolicyDocument['Version'], Statement: statements.map((s, i) => statement(s, `${where}: Statement[${i}]`, kind)) };
  if (value.Id !== undefined) {
    if (typeof value.Id !== 'string') fail(`${where}: Id must be a string; fix the policy document`);
    doc.Id = value.Id as string;
  }
  return doc;
}

/**
 * Policies written for Terraform templates often hold interpolations with bare quotes, e.g.
 * `"arn:aws:s3:::${join("/", local.parts)}"`, which is not JSON. This escapes the quotes inside each `${...}`
 * that sits in a JSON string, so that such a document parses with its interpolations intact.
 */
function escapeQuotesInInterpolations(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (!inString) {
      inString = c === '"';
    } else if (c === '\\') {
      out += c + (text[i + 1] ?? '');
      i++;
      continue;
    } else if (c === '"') {
      inString = false;
    } else if (c === '$' && text[i + 1] === '{') {
      const end = interpolationEnd(text, i + 2);
      if (end > 0) {
        out += text.slice(i, end + 1).replace(/"/g, '\\"');
        i = end;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/** Parses JSON text (a file's content or stdin) into a checked PolicyDocument; see toPolicyDocument. */
export function parsePolicyDocument(text: string, where: string, kind: PolicyKind = 'any'): PolicyDocument {
  const source = text.replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch {
    try {
      value = JSON.parse(escapeQuotesInInterpolations(source));
    } catch {
      try {
        value = parseJsonText(source, where, 'pass an IAM policy document in JSON');
      } catch (e) {
        throw new PolicyDocumentError((e as Error).message);
      }
    }
  }
  return toPolicyDocument(value, where, kind);
}
