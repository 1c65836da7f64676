// The shape of every translation table (src/translation/data/*.json): one TypeScript type and one check each.
// The code reads a table only through these types, after loadTable has checked it (table-check.ts).
import { any, arrayOf, at, bool, type Check, either, int, isPlainObject, object, oneOf, problem, recordOf, refine, regex, str, text, withFastPath } from './table-check.js';

const strings = arrayOf(str);
const stringMap = recordOf(str);

export interface VariableSource {
  path: string;
  transform?: string;
}
const variableSource = object<VariableSource>({ path: text }, { transform: text });

export interface MatchRule {
  path: string;
  pattern: string;
}
const matchRule = object<MatchRule>({ path: text, pattern: regex('i') }, {});

/** One permission of a call (event-rules.json "rules", multi-permission-rules.json "entries"). */
export interface RuleEntry {
  action: string;
  if?: string;
  unless?: string;
  ifMatch?: MatchRule;
  unlessMatch?: MatchRule;
  /** false: the resource comes from the request fields only, never from resources[] or ARNs in the request. */
  namedArns?: boolean;
  /** This entry's own sources for template variables (BatchGetSecretValue's secretIdList). */
  vars?: Record<string, VariableSource[]>;
  /** Resource types built from templates; ARNs named whole still match any type. */
  types?: string[];
  resourceFrom?: string;
  resourceFromResources?: number;
  transform?: string;
  fill?: Record<string, string>;
  because?: string;
  source?: string;
}
const ruleEntry = object<RuleEntry>(
  { action: text },
  {
    if: text,
    unless: text,
    ifMatch: matchRule,
    unlessMatch: matchRule,
    namedArns: bool,
    vars: recordOf(arrayOf(variableSource)),
    types: strings,
    resourceFrom: text,
    resourceFromResources: int,
    transform: text,
    fill: stringMap,
    because: text,
    source: text,
  },
);

export interface EventRulesTable {
  /** Service prefix -> the pattern of the API version its event names carry. */
  versionSuffix: Record<string, string>;
  /** Calls that need no permission, and events that are not calls of the role, with the reason. */
  ignored: Record<string, string>;
  rules: Record<string, RuleEntry[]>;
  /** Service -> event-name verb -> HTTP verb of the action (API Gateway). */
  httpVerbServices: Record<string, Record<string, string>>;
}
export const eventRulesTable = object<EventRulesTable>(
  { versionSuffix: recordOf(regex()), ignored: recordOf(text), rules: recordOf(arrayOf(ruleEntry)), httpVerbServices: recordOf(stringMap) },
  {},
);

export interface MultiPermissionRule {
  source: string;
  entries: RuleEntry[];
}
export interface ItemOperation {
  source: string;
  /** Where the PartiQL statements are ("statements[]" for a list). */
  statements?: string;
  /** Where the transaction items are, and each item operation's action. */
  items?: string;
  operations?: Record<string, string>;
  /** CloudTrail's own shape of the request where it differs from the API's (requestItems[]). */
  logged?: LoggedItemShape;
}
export interface LoggedItemShape {
  statements?: string;
  items?: string;
  operation?: string;
  table?: string;
}
export interface MultiPermissionRulesTable {
  rules: Record<string, MultiPermissionRule>;
  itemOperations: Record<string, ItemOperation>;
  /** PartiQL statement verb -> action. */
  partiqlVerbs: Record<string, string>;
}
export const multiPermissionRulesTable = object<MultiPermissionRulesTable>(
  {
    rules: recordOf(object<MultiPermissionRule>({ source: text, entries: arrayOf(ruleEntry) }, {})),
    itemOperations: recordOf(object<ItemOperation>({ source: text }, {
      statements: text,
      items: text,
      operations: stringMap,
      logged: object<LoggedItemShape>({}, { statements: text, items: text, operation: text, table: text }),
    })),
    partiqlVerbs: stringMap,
  },
  {},
);

export interface ServiceVariables {
  /** Template variable -> where a record holds it. */
  sources: Record<string, VariableSource[]>;
  account?: string | VariableSource;
  /** Rewrites an ARN named whole (a partial secret ARN lacks the six characters AWS appends). */
  namedArn?: { variable: string; transform: string };
  /** Resource type -> suffixes a grant on it also covers (log-group:X -> log-group:X:*). */
  grantAlso?: Record<string, string[]>;
  fill?: Record<string, string>;
}
/** Service -> its variables. A Map: a service prefix from a record never reaches Object.prototype. */
export type ArnVariablesTable = Map<string, ServiceVariables>;

// In the file a service's variables sit beside its four named settings; the loaded table keeps them apart.
type ServiceSettings = Omit<ServiceVariables, 'sources'>;
const settings = object<ServiceSettings>(
  {},
  {
    account: either(text, variableSource, 'a string or { path, transform }'),
    namedArn: object<{ variable: string; transform: string }>({ variable: text, transform: text }, {}),
    grantAlso: recordOf(strings),
    fill: stringMap,
  },
);
const SETTING_KEYS = new Set(['account', 'namedArn', 'grantAlso', 'fill']);
const serviceVariables: Check<ServiceVariables> = (v) => {
  const named: Record<string, unknown> = {};
  const sources: Record<string, VariableSource[]> = {};
  for (const [k, x] of Object.entries(recordOf(any)(v))) {
    if (SETTING_KEYS.has(k)) named[k] = x;
    else sources[k] = at(k, arrayOf(variableSource), x);
  }
  return { sources, ...settings(named) };
};
export const arnVariablesTable: Check<ArnVariablesTable> = (v) => {
  const { services } = object<{ services: Record<string, unknown> }>({ services: recordOf(any) }, {})(v);
  return new Map(Object.entries(services).map(([service, x]) => [service, at('services', (y) => at(service, serviceVariables, y), x)]));
};

export interface RequestConditionsTable {
  /** Action -> condition key -> the request field that carries its value. */
  conditions: Record<string, Record<string, string>>;
}
export const requestConditionsTable = object<RequestConditionsTable>({ conditions: recordOf(recordOf(text)) }, {});

export interface ErrorOutcome {
  outcome: 'denied' | 'unproven';
  /** A key of the table's "sources". */
  source: string;
}
export interface ErrorOutcomesTable {
  sources: Record<string, string>;
  codes: Record<string, ErrorOutcome>;
  patterns: Array<ErrorOutcome & { match: string }>;
}
const errorOutcome = { outcome: oneOf('denied', 'unproven'), source: text };
export const errorOutcomesTable = refine(
  object<ErrorOutcomesTable>(
    {
      sources: recordOf(text),
      codes: recordOf(object<ErrorOutcome>(errorOutcome, {})),
      patterns: arrayOf(object<ErrorOutcome & { match: string }>({ ...errorOutcome, match: regex('i') }, {})),
    },
    {},
  ),
  (t) => {
    const known = (s: string): boolean => Object.prototype.hasOwnProperty.call(t.sources, s);
    const unknown = (s: string): string => `"${s}" is not one of the table's sources`;
    for (const [code, e] of Object.entries(t.codes)) if (!known(e.source)) problem(unknown(e.source), 'codes', code, 'source');
    t.patterns.forEach((p, i) => known(p.source) || problem(unknown(p.source), 'patterns', i, 'source'));
  },
);

export interface ServicePrefixesTable {
  /** eventSource -> IAM service prefix, where it is not the eventSource minus ".amazonaws.com". */
  prefixes: Record<string, string>;
}
export const servicePrefixesTable = object<ServicePrefixesTable>({ prefixes: recordOf(text) }, {});

/** Variable -> request fields ("path" or "path|transform"). */
export type ActionFields = Record<string, string[]>;
export interface ResourceFieldsTable {
  /** "<prefix>:<Operation>" -> action -> its fields. */
  operations: Record<string, Record<string, ActionFields>>;
  /** Service -> the fields most of its operations use for a variable. */
  serviceFields: Record<string, ActionFields>;
}
const actionFields = recordOf(strings);
// Every run loads this table (3,500 operations): checked by plain loops first, entry by entry only when wrong.
function isStringLists(v: unknown): boolean {
  if (!isPlainObject(v)) return false;
  for (const k in v) {
    const list = v[k];
    if (!Array.isArray(list)) return false;
    for (let i = 0; i < list.length; i++) if (typeof list[i] !== 'string') return false;
  }
  return true;
}
function isResourceFields(v: unknown): boolean {
  if (!isPlainObject(v) || !isPlainObject(v.operations) || !isPlainObject(v.serviceFields)) return false;
  for (const k in v) if (k !== 'operations' && k !== 'serviceFields' && !k.startsWith('_')) return false;
  for (const op in v.operations) {
    const actions = v.operations[op];
    if (!isPlainObject(actions)) return false;
    for (const a in actions) if (!isStringLists(actions[a])) return false;
  }
  for (const s in v.serviceFields) if (!isStringLists(v.serviceFields[s])) return false;
  return true;
}
export const resourceFieldsTable = withFastPath(
  object<ResourceFieldsTable>({ operations: recordOf(recordOf(actionFields)), serviceFields: recordOf(actionFields) }, {}),
  isResourceFields,
);

export interface Companion {
  action: string;
  /** "same" (the call's own resource) or a fixed resource. */
  resource: string;
  reason: string;
  source: string;
  /** A request field that must be present. */
  if?: string;
  /** Granted with the call (origin "implied") rather than only listed as unobserved. */
  grant?: boolean;
  /** Condition values the implied request carries. */
  context?: Record<string, string>;
}
export interface NeverLoggedGroup {
  /** Actions or action patterns ("s3:GetObject*"). */
  actions: string[];
  reason: string;
  source: string;
}
/** What a project setting makes a build need; project inference builds the resources and names the field. */
export interface ProjectNeed {
  actions: string[];
  /** Why, after the project field ("<field>: <because>"); none when the field says it all. */
  because?: string;
  source: string;
}
export const PROJECT_NEEDS = [
  'logGroup',
  'logStream',
  'logWrite',
  's3Logs',
  'bucketIdentity',
  's3Source',
  'codeCommitSource',
  's3Artifacts',
  'cacheRestore',
  'cacheSave',
  'imageToken',
  'imagePull',
  'parameterVariable',
  'secretVariable',
  'vpcDescribe',
  'vpcInterface',
  'vpcDeleteInterface',
  'vpcInterfacePermission',
  'encryptionKey',
  'reportGroup',
] as const;
export type ProjectNeedName = (typeof PROJECT_NEEDS)[number];

export interface UnloggedTable {
  /** Logged action -> what it implies. */
  implied: Record<string, Companion[]>;
  neverLogged: NeverLoggedGroup[];
  objectAccess: { seen: string[]; needs: string[]; reason: string; warning: string; source: string };
  projectNeeds: Record<ProjectNeedName, ProjectNeed>;
  eventHistory: { warning: string; source: string };
}
const action = refine(text, (a) => /^[a-z0-9-]+:[A-Za-z0-9*?]+$/.test(a) || problem('expected an action "service:Name"'));
const actions = arrayOf(action);
const projectNeed = object<ProjectNeed>({ actions, source: text }, { because: text });
export const unloggedTable = object<UnloggedTable>(
  {
    implied: recordOf(arrayOf(object<Companion>({ action, resource: text, reason: text, source: text }, { if: text, grant: bool, context: recordOf(text) }))),
    neverLogged: arrayOf(object<NeverLoggedGroup>({ actions, reason: text, source: text }, {})),
    objectAccess: object<UnloggedTable['objectAccess']>({ seen: actions, needs: actions, reason: text, warning: text, source: text }, {}),
    projectNeeds: object<Record<ProjectNeedName, ProjectNeed>>(Object.fromEntries(PROJECT_NEEDS.map((n) => [n, projectNeed])) as Record<ProjectNeedName, Check<ProjectNeed>>, {}),
    eventHistory: object<UnloggedTable['eventHistory']>({ warning: text, source: text }, {}),
  },
  {},
);

/** Every table of src/translation/data by file name, for the test that loads them all. */
export const TRANSLATION_TABLES: Record<string, Check<unknown>> = {
  'arn-variables.json': arnVariablesTable,
  'error-outcomes.json': errorOutcomesTable,
  'event-rules.json': eventRulesTable,
  'multi-permission-rules.json': multiPermissionRulesTable,
  'request-conditions.json': requestConditionsTable,
  'resource-fields.json': resourceFieldsTable,
  'service-prefixes.json': servicePrefixesTable,
  'unlogged.json': unloggedTable,
};
