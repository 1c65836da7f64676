// One CloudTrail record -> the IAM permissions that call needed. All service knowledge lives in the JSON
// tables under ./data and in the IAM service reference; this file only applies them.
import { parseArn, partitionOf } from '../iam/arn.js';
import type { Permission, TrailRecord, Translation, Unobserved, ConditionContext } from '../model.js';
import { compileTemplate, escapeIamLiteral, type CompiledTemplate, fillTemplate, hasIamWildcardChars, isRegionName, isUnsafeValue } from './arn-template.js';
import { s3CopySource, transforms } from './arn-values.js';
import { lookupAction, serviceExists, type ReferenceAction } from './iam-reference.js';
import { isItemOperationCall, itemPermissions } from './item-operations.js';
import { classifyError } from './outcome.js';
import { hasValue, valuesAt } from './params.js';
import { namedArns, passedRoles, variableSources } from './resource-fields.js';
import { servicePrefix } from './service-prefix.js';
import type { RuleEntry, VariableSource } from './table-schemas.js';
import { ARN_VARIABLES, EVENT_RULES, MULTI_PERMISSION_RULES, REQUEST_CONDITIONS } from './tables.js';
import { companionsOf } from './unlogged-table.js';

// Calls needing several permissions, each with its documented source, take precedence over the name rules.
const rules: Record<string, RuleEntry[]> = {
  ...EVENT_RULES.rules,
  ...Object.fromEntries(Object.entries(MULTI_PERMISSION_RULES.rules).map(([k, v]) => [k, v.entries])),
};
const ignoredCalls = EVENT_RULES.ignored;
const versionSuffix = Object.fromEntries(Object.entries(EVENT_RULES.versionSuffix).map(([k, v]) => [k, new RegExp(v)]));
const httpVerbs = EVENT_RULES.httpVerbServices;
const variables = ARN_VARIABLES;
const requestConditions = REQUEST_CONDITIONS.conditions;

const MAX_RESOURCES_PER_TYPE = 64;

interface Env {
  partition: string;
  region: string;
  account: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** Lambda's and CloudFront's event names carry API versions (UpdateFunctionCode20150331v2); others never do. */
export function normalizeEventName(prefix: string, eventName: string): string {
  const re = versionSuffix[prefix];
  if (!re) return eventName;
  const stripped = eventName.replace(re, '');
  return stripped.length > 0 ? stripped : eventName;
}

/** The account is also the fifth field of the caller's ARN (arn:aws:sts::<account>:assumed-role/...). */
function callerAccount(value: string): string | undefined {
  const arn = parseArn(value);
  if (!arn || arn.partition === '' || (arn.service !== 'iam' && arn.service !== 'sts') || arn.region !== '') return undefined;
  return /^\d{12}$/.test(arn.account) ? arn.account : undefined;
}

// Region and account go into ARNs unescaped, so a log's "*" there would be a wildcard; and a call without a
// region cannot be checked against the boundary's list of regions. Such records are not translated.
function envOf(record: TrailRecord): Env | { problem: string } {
  const arn = str(record.userIdentity?.arn) ?? str(record.userIdentity?.sessionContext?.sessionIssuer?.arn) ?? '';
  const partition = partitionOf(arn) ?? 'aws';
  const account =
    str(record.recipientAccountId) ??
    str(record.userIdentity?.accountId) ??
    str(record.userIdentity?.sessionContext?.sessionIssuer?.accountId) ??
    callerAccount(arn) ??
    '';
  if (account !== '' && !/^\d{12}$/.test(account)) return { problem: 'the account ID is not 12 digits (refused: it could widen a grant)' };
  if (record.awsRegion === undefined || record.awsRegion === null || record.awsRegion === '') return { problem: 'the record has no awsRegion' };
  if (!isRegionName(record.awsRegion)) return { problem: 'awsRegion is not a region name (refused: it could widen a grant)' };
  return { partition, region: record.awsRegion, account };
}

/**
 * ARNs named by the record itself: resources[] (ARN or arn) and whole ARNs in the request fields that name the
 * action's resources (data/resource-fields.json). Each is used only where it matches one of the action's own
 * resource types.
 */
function recordArns(record: TrailRecord, opKey: string, ref: ReferenceAction): string[] {
  const out: string[] = [];
  if (Array.isArray(record.resources)) {
    for (const r of record.resources.slice(0, 256)) {
      if (!r || typeof r !== 'object') continue;
      const arn = str(r.ARN) ?? str(r.arn);
      if (arn) out.push(arn);
    }
  }
  const { names, vars } = typeVariables(ref);
  out.push(...namedArns(record, opKey, `${ref.service}:${ref.name}`, names, vars));
  return out;
}

// An action's resource type names and ARN variables, computed once per action (not once per record).
const typeVariablesCache = new WeakMap<ReferenceAction, { names: string[]; vars: string[] }>();
function typeVariables(ref: ReferenceAction): { names: string[]; vars: string[] } {
  let hit = typeVariablesCache.get(ref);
  if (!hit) {
    const types = ref.resourceTypes.filter((t) => t.arn);
    hit = { names: types.map((t) => t.name), vars: [...new Set(types.flatMap((t) => compileTemplate(t.arn as string).variables))] };
    typeVariablesCache.set(ref, hit);
  }
  return hit;
}

interface ResolvedSource {
  path: string;
  transform?: (raw: string) => string | undefined;
  generated: boolean;
}

// The hand table's sources with their transforms resolved, once per table entry (not once per record).
const resolvedHand = new WeakMap<VariableSource[], ResolvedSource[]>();
function handSources(list: VariableSource[] | undefined): ResolvedSource[] {
  if (!list) return [];
  let hit = resolvedHand.get(list);
  if (!hit) {
    hit = list.map((s) => ({ path: s.path, transform: s.transform ? transforms[s.transform] : undefined, generated: false }));
    resolvedHand.set(list, hit);
  }
  return hit;
}

function variableValues(
  service: string,
  name: string,
  record: TrailRecord,
  entry: RuleEntry,
  refused: string[],
  generated: ReturnType<typeof variableSources>,
  skipArns = false,
  typeName = '',
): string[] | undefined {
  const fill = entry.fill;
  // A rule's own sources win; else the hand table (it knows CloudTrail's own spellings), then the fields
  // generated from the SDK->IAM map.
  const ruleSources = entry.vars?.[`${typeName}/${name}`] ?? entry.vars?.[name];
  const hand = handSources(ruleSources ?? variables.get(service)?.sources[name]);
  const sources = ruleSources || generated.length === 0 ? hand : [...hand, ...generated.map((g) => ({ ...g, generated: true }))];
  if (sources.length) {
    for (const src of sources) {
      // Beside ARNs named whole, only a field that mixes ARNs and names is built, and only its names: an ARN built
      // again would land in the caller's account, and a name in another field may name something else entirely.
      const all = valuesAt(record, src.path);
      if (skipArns && !all.some((v) => v.startsWith('arn:'))) continue;
      // A whole ARN in a generated field is matched against the resource types instead (recordArns).
      const raw = all.filter((v) => !(skipArns && v.startsWith('arn:')) && !(src.generated && v.startsWith('arn:')));
      if (raw.length === 0) continue;
      const t = src.transform ?? escapeIamLiteral;
      if (raw.some(isUnsafeValue)) refused.push(`${service}: refused a ${name} value with control or quote characters, or too long`);
      const vals = raw.filter((v) => !isUnsafeValue(v)).map((v) => t(v)).filter((v): v is string => v !== undefined && v !== '');
      if (vals.length) return [...new Set(vals)];
      // "*" where a key ID belongs names no resource; without this it would end up as a wildcard in its place.
      if (raw.some(hasIamWildcardChars)) refused.push(`${service}: refused a ${name} value with wildcard characters that names no resource`);
    }
  }
  const f = fill?.[name] ?? variables.get(service)?.fill?.[name];
  return f === undefined ? undefined : [f];
}

interface Built {
  resource: string;
  known: boolean;
}

function cartesian(template: string, vars: string[], values: Map<string, string[]>): string[] {
  let partial: Array<Record<string, string>> = [{}];
  for (const v of vars) {
    const next: Array<Record<string, string>> = [];
    for (const p of partial) for (const val of values.get(v) ?? []) if (next.length < MAX_RESOURCES_PER_TYPE) next.push({ ...p, [v]: val });
    partial = next;
  }
  return partial.map((p) => fillTemplate(template, p)).filter((x): x is string => x !== undefined);
}

function resourcesFor(ref: ReferenceAction, record: TrailRecord, env: Env, entry: RuleEntry, refused: string[], opKey: string): Built[] {
  const types = ref.resourceTypes.filter((t) => t.arn);
  if (types.length === 0) return [{ resource: '*', known: false }];
  const action = `${ref.service}:${ref.name}`;
  const named = entry.namedArns === false ? [] : recordArns(record, opKey, ref);
  const out: Built[] = [];
  const unknown: Built[] = [];
  let noAccount = false;
  const account = resourceAccount(ref.service, record) || env.account;
  for (const type of types) {
    const tpl = compileTemplate(type.arn as string);
    const direct = named.filter((a) => tpl.regex.test(a));
    const ids = new Set<string>();
    for (const a of direct.slice(0, MAX_RESOURCES_PER_TYPE)) {
      if (isUnsafeValue(a)) refused.push(`${ref.service}:${ref.name}: refused a resource with control or quote characters, or too long`);
      else {
        const resource = rewriteNamedArn(ref.service, tpl, a);
        ids.add(identityOf(tpl, resource));
        out.push({ resource, known: true });
      }
    }
    if (entry.types && !entry.types.includes(type.name)) continue;
    if (!account && tpl.variables.includes('Account')) {
      // An ARN without its account would name every account: leave the permission out and say so.
      if (direct.length === 0) noAccount = true;
      continue;
    }
    const values = new Map<string, string[]>([
      ['Partition', [env.partition]],
      ['Region', [env.region || '*']],
      ['Account', [account]],
    ]);
    let complete = true;
    for (const v of tpl.variables) {
      if (values.has(v)) continue;
      // With ARNs named whole, only the names given beside them are built (GetParameters with names and ARNs).
      const vals = variableValues(ref.service, v, record, entry, refused, variableSources(opKey, action, v), direct.length > 0, type.name);
      if (vals) values.set(v, vals);
      else complete = false;
    }
    if (complete) {
      for (const a of cartesian(type.arn as string, tpl.variables, values)) if (!ids.has(identityOf(tpl, a))) out.push({ resource: a, known: true });
    } else if (type.required && direct.length === 0) {
      // The identifier is not in the event (a resource being created, say): scope to the call's account and
      // region at least, rather than "*".
      for (const v of tpl.variables) if (!values.has(v)) values.set(v, ['*']);
      if (env.region && account) for (const a of cartesian(type.arn as string, tpl.variables, values)) (entry.types ? unknown : out).push({ resource: a, known: false });
    }
  }
  // With the types limited by the rule, a pattern for an unnamed type is used only when no type was named.
  if (out.length === 0) out.push(...unknown);
  if (noAccount && out.length === 0) refused.push(`${ref.service}:${ref.name}: the record names no account, so its resource ARN cannot be built`);
  if (out.length === 0) return noAccount ? [] : [{ resource: '*', known: false }];
  return [...new Map(out.map((b) => [b.resource, b])).values()];
}

/** The resource's account when a request field names it (ECR registryId, an SQS queue URL), else undefined. */
function resourceAccount(service: string, record: TrailRecord): string | undefined {
  const param = variables.get(service)?.account;
  if (!param) return undefined;
  const src: VariableSource = typeof param === 'string' ? { path: param } : param;
  const t = src.transform ? transforms[src.transform] : (v: string) => v;
  return valuesAt(record, src.path)
    .map((v) => t(v))
    .find((a): a is string => a !== undefined && /^\d{12}$/.test(a));
}

/** The values of a template's own variables (not partition, region, account): the resource whatever its account. */
function identityOf(tpl: CompiledTemplate, arn: string): string {
  const m = tpl.regex.exec(arn);
  if (!m) return arn;
  return tpl.variables.map((v, i) => (['Partition', 'Region', 'Account'].includes(v) ? '' : m[i + 1])).join('\u0000');
}

/** An ARN named whole, escaped; a service's `namedArn` rule rewrites one variable (a partial secret ARN gets -??????). */
function rewriteNamedArn(service: string, tpl: CompiledTemplate, arn: string): string {
  const rule = variables.get(service)?.namedArn;
  const i = rule ? tpl.variables.indexOf(rule.variable) : -1;
  const m = i >= 0 ? tpl.regex.exec(arn) : null;
  const value = m && rule ? transforms[rule.transform](arn) : undefined;
  if (!m || value === undefined) return escapeIamLiteral(arn);
  const vals = Object.fromEntries(tpl.variables.map((v, j) => [v, escapeIamLiteral(m[j + 1])]));
  vals[tpl.variables[i]] = value;
  return fillTemplate(tpl.template, vals) ?? escapeIamLiteral(arn);
}

/** A resource given whole in one request field (a role ARN being passed, a copy source). */
function resourceFromField(ref: ReferenceAction, record: TrailRecord, env: Env, entry: RuleEntry, refused: string[]): Built[] {
  const out: Built[] = [];
  if (entry.resourceFromResources !== undefined) {
    const r = Array.isArray(record.resources) ? record.resources[entry.resourceFromResources] : undefined;
    const arn = r && typeof r === 'object' ? (str(r.ARN) ?? str(r.arn)) : undefined;
    if (arn && !isUnsafeValue(arn)) return [{ resource: escapeIamLiteral(arn), known: true }];
  }
  for (const raw of valuesAt(record, entry.resourceFrom as string)) {
    if (isUnsafeValue(raw)) {
      refused.push(`${ref.service}:${ref.name}: refused a resource with control or quote characters, or too long`);
      continue;
    }
    if (entry.transform === 's3CopySource') {
      const v = s3CopySource(raw);
      if (v) out.push({ resource: `arn:${env.partition}:s3:::${v}`, known: true });
      continue;
    }
    const matches = ref.resourceTypes.some((t) => t.arn && compileTemplate(t.arn).regex.test(raw));
    if (matches) out.push({ resource: escapeIamLiteral(raw), known: true });
    else if (ref.service === 'kms') {
      const key = transforms.kmsKeyId(raw);
      if (key && env.region && env.account) out.push({ resource: `arn:${env.partition}:kms:${env.region}:${env.account}:key/${key}`, known: true });
    }
  }
  if (out.length === 0 && ref.resourceTypes.length > 0) return [{ resource: '*', known: false }];
  return out;
}

/** API Gateway authorizes management calls as HTTP verbs on paths: CreateRestApi is apigateway:POST. */
function httpVerbAction(prefix: string, eventName: string): string | undefined {
  const verbs = httpVerbs[prefix];
  if (!verbs) return undefined;
  const lead = /^[A-Z][a-z]+/.exec(eventName)?.[0];
  const verb = lead ? verbs[lead] : undefined;
  return verb ? `${prefix}:${verb}` : undefined;
}

/** Condition values the request itself carries (data/request-conditions.json); safe characters only. */
function requestContext(record: TrailRecord, keys: Record<string, string>): ConditionContext | undefined {
  const out: ConditionContext = {};
  for (const [key, path] of Object.entries(keys)) {
    const v = valuesAt(record, path)[0];
    if (v !== undefined && /^[\w.:/@-]{1,256}$/.test(v)) out[key] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

function viaServiceContext(prefix: string, record: TrailRecord, env: Env): ConditionContext | undefined {
  if (prefix !== 'kms') return undefined;
  const by = str(record.userIdentity?.invokedBy);
  const m = by ? /^([a-z0-9-]+)\.amazonaws\.com$/.exec(by) : null;
  // Only a service's endpoint is a kms:ViaService value: "internal.amazonaws.com" and the like name no service.
  if (!m || m[1] === 'kms' || !env.region || !serviceExists(servicePrefix(by as string))) return undefined;
  return { 'kms:ViaService': `${m[1]}.${env.region}.amazonaws.com` };
}

// Rule patterns come from the tables: compiled once each, not once per record.
const compiledPatterns = new Map<string, RegExp>();
function matches(record: TrailRecord, m: { path: string; pattern: string }): boolean {
  let re = compiledPatterns.get(m.pattern);
  if (!re) compiledPatterns.set(m.pattern, (re = new RegExp(m.pattern, 'i')));
  return valuesAt(record, m.path).some((v) => re.test(v));
}

export function translate(record: TrailRecord): Translation {
  const source = str(record.eventSource);
  const name = str(record.eventName);
  if (!source || !name) return { kind: 'untranslatable', reason: 'the record has no eventSource or eventName' };
  const eventType = record.eventType;
  if (eventType !== undefined && eventType !== 'AwsApiCall') {
    return { kind: 'ignored', reason: `${String(eventType)} events are not API calls made with the role's permissions` };
  }
  const prefix = servicePrefix(source);
  const eventName = normalizeEventName(prefix, name);
  const key = `${prefix}:${eventName}`;
  const ignoredWhy = ignoredCalls[key];
  if (ignoredWhy) return { kind: 'ignored', reason: `${key} ${ignoredWhy}` };
  if (prefix === 'signin') return { kind: 'ignored', reason: 'console sign-in events are not API calls' };

  const env = envOf(record);
  if ('problem' in env) return { kind: 'untranslatable', reason: env.problem };
  // A mistyped requestParameters (an array, a string) is a broken record, not a call without parameters:
  // reading it as "no resource named" would grant the action account-wide.
  const params: unknown = record.requestParameters;
  if (params !== undefined && params !== null && (typeof params !== 'object' || Array.isArray(params))) {
    return { kind: 'untranslatable', reason: 'requestParameters is not an object' };
  }
  const verb = rules[key] ? undefined : httpVerbAction(prefix, eventName);
  // API Gateway's resources are request paths that CloudTrail records only in part: the verb on "*".
  const items = isItemOperationCall(key) ? itemPermissions(key, record, env) : undefined;
  if (items && items.permissions.length > 0) {
    const refused = items.unread ? [`${key}: ${items.unread} statement(s) or item(s) named no table that could be read; they are not granted`] : [];
    const permissions: Permission[] = items.permissions.map((p) => ({ ...p, resourceKnown: true, origin: 'observed' }));
    const { outcome, error } = classifyError(record.errorCode);
    return { kind: 'call', outcome, ...(error ? { error } : {}), permissions, unobserved: [], refused };
  }
  const entries = (rules[key] ?? [verb ? { action: verb, fill: { '*': '*' } } : { action: key }]).filter(
    (e) =>
      (e.if === undefined || hasValue(record, e.if)) &&
      (e.unless === undefined || !hasValue(record, e.unless)) &&
      (e.ifMatch === undefined || matches(record, e.ifMatch)) &&
      (e.unlessMatch === undefined || !matches(record, e.unlessMatch)),
  );
  const permissions: Permission[] = [];
  const refused: string[] = [];
  const context = viaServiceContext(prefix, record, env);
  for (const [i, entry] of entries.entries()) {
    const colon = entry.action.indexOf(':');
    const ref = lookupAction(entry.action.slice(0, colon), entry.action.slice(colon + 1));
    if (!ref) {
      if (i === 0) {
        return {
          kind: 'untranslatable',
          reason: `the IAM service reference has no action ${entry.action} (from ${source} ${name})`,
        };
      }
      continue;
    }
    const action = `${ref.service}:${ref.name}`;
    const derived = i > 0 && entry.because !== undefined;
    const refusedBefore = refused.length;
    const built = entry.fill?.['*']
      ? [{ resource: '*', known: false }]
      : entry.resourceFrom
        ? resourceFromField(ref, record, env, entry, refused)
        : resourcesFor(ref, record, env, entry, refused, key);
    // A refused value names a resource that cannot be written safely; "*" or a wider pattern in its place
    // would widen the grant, so only resources built from safe values are kept.
    const usable = refused.length > refusedBefore ? built.filter((b) => b.known) : built;
    for (const b of usable) {
      const p: Permission = { action, resource: b.resource, resourceKnown: b.known, origin: derived ? 'derived' : 'observed' };
      if (entry.because) p.because = entry.because;
      const keys = requestConditions[action];
      const fromRequest = keys ? requestContext(record, keys) : undefined;
      if ((context && ref.service === 'kms') || fromRequest) p.context = { ...(ref.service === 'kms' ? context : {}), ...fromRequest };
      permissions.push(p);
    }
  }
  // Every role the call passes (fields from the SDK->IAM map) needs iam:PassRole, unless a rule above has it.
  for (const r of passedRoles(record, key, env)) {
    if (permissions.some((p) => p.action === 'iam:PassRole' && p.resource === r.resource)) continue;
    permissions.push({ action: 'iam:PassRole', resource: r.resource, resourceKnown: true, origin: 'derived', because: `${eventName} passes the role in ${r.field}` });
  }
  const { outcome, error } = classifyError(record.errorCode);
  const unobserved: Unobserved[] = [];
  const implied: Permission[] = [];
  // A call that was denied or never passed authorization implies nothing: the build never got to write to
  // the stream, and the trail shows no denied PutLogEvents to report.
  const proven = outcome === 'allowed' || outcome === 'failed';
  for (const p of proven ? permissions : []) {
    for (const c of companionsOf(p.action)) {
      if (c.if && !hasValue(record, c.if)) continue;
      const resource = c.resource === 'same' ? p.resource : c.resource;
      // A companion known to be needed whenever the call is made is granted with it, on the same resources.
      if (c.grant) implied.push({ action: c.action, resource, resourceKnown: c.resource === 'same' && p.resourceKnown, origin: 'implied', because: c.reason, ...(c.context ? { context: { ...c.context } } : {}) });
      else unobserved.push({ action: c.action, resource, reason: c.reason });
    }
  }
  const seen = new Set<string>();
  const unique = [...permissions, ...implied].filter((p) => {
    const k = `${p.action}\u0000${p.resource}\u0000${p.origin}\u0000${JSON.stringify(p.context ?? {})}`;
    return !seen.has(k) && seen.add(k) !== undefined;
  });
  return { kind: 'call', outcome, ...(error ? { error } : {}), permissions: unique, unobserved, refused: [...new Set(refused)] };
}
