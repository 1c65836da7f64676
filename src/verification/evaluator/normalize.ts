// Turns a policy document into statements whose elements are all lists, and refuses what IAM would refuse
// (so that the evaluator never has to guess what a malformed statement means).

import { InputError } from '../../errors.js';
import type { PolicyDocument } from '../../model.js';
import { parseOperator } from './operators.js';
import type { NormalizedCondition, NormalizedStatement } from './types.js';

export interface NormalizeOptions {
  /** Names the document in messages, e.g. a file path or "boundary document 1". */
  where?: string;
  /**
   * `identity` (default): identity policies and permissions boundaries, which need Resource or NotResource
   * and may not name a Principal. `resource`: resource-based and trust policies, which need a Principal.
   */
  kind?: 'identity' | 'resource';
}

const KNOWN = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);
const ACTION = /^[^:\s]+:[^:\s]+$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The statements of a document, validated, with string-or-list elements as lists and condition values as strings. */
export function normalizeStatements(doc: PolicyDocument | unknown, options: NormalizeOptions = {}): NormalizedStatement[] {
  const where = options.where ?? 'the policy document';
  const kind = options.kind ?? 'identity';
  if (!isObject(doc)) throw new InputError(`${where} is not a JSON object; pass an IAM policy document with a Statement list.`);
  const version = doc.Version;
  if (version !== undefined && version !== '2012-10-17' && version !== '2008-10-17') {
    throw new InputError(`${where} has Version ${JSON.stringify(version)}; use "2012-10-17".`);
  }
  const raw = doc.Statement;
  if (raw === undefined) throw new InputError(`${where} has no Statement; add a Statement list.`);
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((s, index) => normalizeStatement(s, index, where, kind));
}

function normalizeStatement(s: unknown, index: number, where: string, kind: 'identity' | 'resource'): NormalizedStatement {
  const name = (sid?: unknown): string =>
    `${where}: statement ${index}${typeof sid === 'string' && sid !== '' ? ` (Sid "${sid}")` : ''}`;
  if (!isObject(s)) throw new InputError(`${name()} is not a JSON object; write each statement as an object.`);
  const at = name(s.Sid);
  const fail = (problem: string, fix: string): never => {
    throw new InputError(`${at} ${problem}; ${fix}.`);
  };
  for (const key of Object.keys(s)) if (!KNOWN.has(key)) fail(`has an unknown element "${key}"`, 'remove it or fix its spelling (names are case-sensitive)');
  if (s.Sid !== undefined && typeof s.Sid !== 'string') fail('has a Sid that is not a string', 'make the Sid a string');
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') {
    fail(s.Effect === undefined ? 'has no Effect' : `has Effect ${JSON.stringify(s.Effect)}`, 'set Effect to "Allow" or "Deny"');
  }
  const out: NormalizedStatement = { index, effect: s.Effect as 'Allow' | 'Deny', conditions: [] };
  if (typeof s.Sid === 'string') out.sid = s.Sid;

  const strings = (element: string): string[] | undefined => {
    const v = s[element];
    if (v === undefined) return undefined;
    const arr = Array.isArray(v) ? v : [v];
    if (arr.length === 0) fail(`has an empty ${element}`, `list at least one value in ${element} or remove it`);
    for (const x of arr) if (typeof x !== 'string') fail(`has a ${element} value that is not a string`, `write every ${element} value as a string`);
    return arr as string[];
  };

  const action = strings('Action');
  const notAction = strings('NotAction');
  if (action && notAction) fail('has both Action and NotAction', 'keep only one of them');
  if (!action && !notAction) fail('has neither Action nor NotAction', 'add an Action list');
  for (const a of action ?? notAction ?? []) {
    if (a !== '*' && !ACTION.test(a)) fail(`has the action "${a}", which is not "service:action" or "*"`, 'write actions as service:Action');
  }
  if (action) out.action = action;
  if (notAction) out.notAction = notAction;

  const resource = strings('Resource');
  const notResource = strings('NotResource');
  if (resource && notResource) fail('has both Resource and NotResource', 'keep only one of them');
  if (kind === 'identity' && !resource && !notResource) fail('has neither Resource nor NotResource', 'add a Resource list ("*" for every resource)');
  for (const r of resource ?? notResource ?? []) {
    if (r !== '*' && !r.startsWith('arn:')) fail(`has the resource "${r}", which is neither an ARN nor "*"`, 'write resources as ARNs');
  }
  if (resource) out.resource = resource;
  if (notResource) out.notResource = notResource;

  if (s.Principal !== undefined && s.NotPrincipal !== undefined) fail('has both Principal and NotPrincipal', 'keep only one of them');
  if (kind === 'identity' && (s.Principal !== undefined || s.NotPrincipal !== undefined)) {
    fail('names a Principal, which identity policies and permissions boundaries cannot', 'remove Principal/NotPrincipal');
  }
  if (kind === 'resource' && s.Principal === undefined && s.NotPrincipal === undefined) fail('has no Principal', 'add the Principal the policy applies to');
  if (s.Principal !== undefined) out.principal = s.Principal;
  if (s.NotPrincipal !== undefined) out.notPrincipal = s.NotPrincipal;

  if (s.Condition !== undefined) {
    if (!isObject(s.Condition)) fail('has a Condition that is not an object', 'write Condition as {"Operator": {"key": "value"}}');
    for (const [operator, block] of Object.entries(s.Condition as Record<string, unknown>)) {
      if (!parseOperator(operator)) fail(`uses the unknown condition operator "${operator}"`, 'use an IAM condition operator such as StringEquals');
      if (!isObject(block)) fail(`has a ${operator} condition that is not an object`, 'write it as {"key": "value"}');
      for (const [key, value] of Object.entries(block as Record<string, unknown>)) {
        const arr = Array.isArray(value) ? value : [value];
        if (arr.length === 0) fail(`has no values for ${operator} ${key}`, 'list at least one value');
        const values = arr.map((v) => {
          if (typeof v === 'string') return v;
          if (typeof v === 'number' || typeof v === 'boolean') return String(v);
          return fail(`has a ${operator} ${key} value that is not a string, number or boolean`, 'write condition values as strings');
        });
        const c: NormalizedCondition = { operator, key, values };
        out.conditions.push(c);
      }
    }
  }
  return out;
}
