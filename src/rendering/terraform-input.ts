// Reading an IAM policy document that someone else wrote, for `export` (Terraform and CloudFormation alike).
// The input is untrusted: every field is checked, and anything we could not render faithfully is refused
// with a message that says where, instead of being dropped.
import { InputError } from '../errors.js';
import { interpolationEnd } from './hcl.js';
import type { ConditionBlock, PolicyDocument, PolicyStatement, Principal, StringOrList } from '../model.js';

const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);
const DOCUMENT_KEYS = new Set(['Version', 'Id', 'Statement']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A key as it may appear in a one-line message: plain names as they are, anything odd quoted and cut short. */
function seg(key: string): string {
  if (/^[\w:/.*-]{1,64}$/.test(key)) return key;
  const quoted = JSON.stringify(key);
  return quoted.length > 40 ? `${quoted.slice(0, 37)}..."` : quoted;
}

/** Policy documents are a few levels deep; a much deeper input is hostile and would exhaust the stack. */
const MAX_DEPTH = 32;

/** The path of the first CloudFormation intrinsic function (`Ref`, `Fn::Sub`, ...) inside `value`, if any. */
function findIntrinsic(value: unknown, path: string, where: string, depth = 0): string | undefined {
  if (depth > MAX_DEPTH) throw new InputError(`${where} is nested more than ${MAX_DEPTH} levels deep, which no IAM policy document is`);
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
  if ('Resources' in value || 'AWSTemplateFormatVersion' in value) {
    throw new InputError(`${where} is a CloudFormation template, not an IAM policy document; ${hint}`);
  }
  const intrinsic = findIntrinsic(value, '', where);
  const wrapped = ['PolicyDocument', 'AssumeRolePolicyDocument'].find((k) => k in value);
  if (wrapped && intrinsic) {
    throw new InputError(`${where} looks like a CloudFormation snippet (a ${wrapped} property, ${intrinsic}); ${hint}`);
  }
  if (intrinsic) throw new InputError(`${where} uses a CloudFormation intrinsic function (${intrinsic}); ${hint}`);
  if (wrapped) {
    // Also what `aws iam get-role-policy` prints: the document sits one level down.
    throw new InputError(`${where} wraps the policy in a ${wrapped} element; pass only the document (with the AWS CLI: --query ${wrapped})`);
  }
}

function stringOrList(value: unknown, where: string): StringOrList {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw new InputError(`${where} must be a string or a list of strings; fix the policy document`);
}

function principal(value: unknown, where: string): Principal {
  if (value === '*') return '*';
  if (!isObject(value) || !Object.keys(value).length) {
    throw new InputError(`${where} must be "*" or an object such as {"Service": "codebuild.amazonaws.com"}; fix the policy document`);
  }
  // fromEntries defines own properties, so even a key named "__proto__" is kept rather than lost.
  return Object.fromEntries(Object.entries(value).map(([type, ids]) => [type, stringOrList(ids, `${where}.${seg(type)}`)]));
}

type ConditionValue = ConditionBlock[string][string];

function conditionValue(value: unknown, where: string): ConditionValue {
  const scalar = (v: unknown): v is string | boolean | number =>
    typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
  if (scalar(value)) return value;
  if (Array.isArray(value) && value.every(scalar)) return value;
  throw new InputError(`${where} must be a string, number, boolean or a list of them; fix the policy document`);
}

function condition(value: unknown, where: string): ConditionBlock {
  if (!isObject(value)) throw new InputError(`${where} must be an object of operators; fix the policy document`);
  // Built with fromEntries (own properties) so that no key, "__proto__" included, can vanish.
  return Object.fromEntries(
    Object.entries(value).map(([operator, keys]) => {
      if (!isObject(keys)) throw new InputError(`${where}.${seg(operator)} must be an object of condition keys; fix the policy document`);
      return [operator, Object.fromEntries(Object.entries(keys).map(([key, v]) => [key, conditionValue(v, `${where}.${seg(operator)}.${seg(key)}`)]))];
    }),
  );
}

function statement(value: unknown, where: string): PolicyStatement {
  if (!isObject(value)) throw new InputError(`${where} must be an object; fix the policy document`);
  const unknown = Object.keys(value).filter((k) => !STATEMENT_KEYS.has(k));
  if (unknown.length) {
    throw new InputError(`${where} has an element IAM does not know (${unknown.map(seg).join(', ')}); fix the policy document`);
  }
  if (value.Effect !== 'Allow' && value.Effect !== 'Deny') {
    throw new InputError(`${where}.Effect must be "Allow" or "Deny"; fix the policy document`);
  }
  const out: PolicyStatement = { Effect: value.Effect };
  if (value.Sid !== undefined) {
    if (typeof value.Sid !== 'string') throw new InputError(`${where}.Sid must be a string; fix the policy document`);
    out.Sid = value.Sid;
  }
  for (const key of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
    if (value[key] !== undefined) out[key] = stringOrList(value[key], `${where}.${key}`);
  }
  for (const key of ['Principal', 'NotPrincipal'] as const) {
    if (value[key] !== undefined) out[key] = principal(value[key], `${where}.${key}`);
  }
  if (value.Condition !== undefined) out.Condition = condition(value.Condition, `${where}.Condition`);
  const both = (['Action', 'Resource', 'Principal'] as const).find((k) => out[k] !== undefined && out[`Not${k}`] !== undefined);
  if (both) throw new InputError(`${where} has both ${both} and Not${both}; IAM allows only one of them`);
  if (out.Action === undefined && out.NotAction === undefined) {
    throw new InputError(`${where} has neither Action nor NotAction; fix the policy document`);
  }
  return out;
}

/**
 * Checks a parsed JSON value and returns it as a PolicyDocument (a single-object Statement becomes a list).
 * `where` names the input in messages, e.g. the file path. Throws InputError on anything else, including
 * CloudFormation templates and snippets, which need their intrinsic functions resolved first.
 */
export function toPolicyDocument(value: unknown, where: string): PolicyDocument {
  if (!isObject(value)) throw new InputError(`${where} is not an IAM policy document (expected a JSON object)`);
  refuseCloudFormation(value, where);
  if (value.Statement === undefined) {
    throw new InputError(`${where} is not an IAM policy document: it has no Statement; pass a document like {"Version": "2012-10-17", "Statement": [...]}`);
  }
  const unknown = Object.keys(value).filter((k) => !DOCUMENT_KEYS.has(k));
  if (unknown.length) {
    throw new InputError(`${where} has top-level elements IAM does not know (${unknown.map(seg).join(', ')}); pass only the policy document`);
  }
  const version = value.Version ?? '2012-10-17';
  if (version !== '2012-10-17' && version !== '2008-10-17') {
    throw new InputError(`${where} has Version ${JSON.stringify(version)}; IAM knows only "2012-10-17" and "2008-10-17"`);
  }
  const raw = value.Statement;
  const list = Array.isArray(raw) ? raw : [raw];
  const doc: PolicyDocument = { Version: version, Statement: list.map((s, i) => statement(s, `${where}: Statement[${i}]`)) };
  if (value.Id !== undefined) {
    if (typeof value.Id !== 'string') throw new InputError(`${where}: Id must be a string; fix the policy document`);
    doc.Id = value.Id;
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

/** Parses JSON text (a file's content or stdin) into a PolicyDocument; see toPolicyDocument. */
export function parsePolicyDocument(text: string, where: string): PolicyDocument {
  const source = text.replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (err) {
    try {
      value = JSON.parse(escapeQuotesInInterpolations(source));
    } catch {
      const reason = err instanceof Error ? err.message : String(err);
      throw new InputError(`${where} is not valid JSON (${reason}); pass an IAM policy document in JSON`);
    }
  }
  return toPolicyDocument(value, where);
}
