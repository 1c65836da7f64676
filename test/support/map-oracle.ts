// An independent reading of the SDK->IAM map (../shared/conformance/iamlive-map/map.json.gz) for the
// conformance test: which request fields of an operation name a resource of an action, per ARN variable and
// per resource type. Parsed here from the raw map, not from the translator's generated table, so that a fault
// in the generator shows.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

interface MapEntry {
  action: string;
  resource_mappings?: Record<string, { template: string }>;
  resourcearn_mappings?: Record<string, string>;
}

export interface ActionFields {
  /** ARN variable (lower case) -> request paths whose value is that identifier. */
  variables: Map<string, string[]>;
  /** Resource type (lower case) -> request paths whose value may be a whole ARN of that type. */
  arns: Map<string, string[]>;
  /** Resource type (lower case) -> request paths whose value is that ARN, or its only identifier. */
  arnOrId: Map<string, string[]>;
}

export type FieldIndex = Map<string, ActionFields>;

const ENV = new Set(['Partition', 'Region', 'Account']);
const pathsIn = (t: string): string[] => [...t.matchAll(/\$\{([A-Za-z0-9_.[\]]+)\}/g)].map((m) => m[1]).filter((p) => !ENV.has(p));

/** "<prefix>:<Operation>\u0000<action>" (lower case) -> the fields the map reads for that action. */
export function loadMapFields(path: string): FieldIndex {
  const map = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as {
    sdk_method_iam_mappings: Record<string, MapEntry[]>;
    sdk_service_mappings: Record<string, string>;
  };
  const out: FieldIndex = new Map();
  const push = (m: Map<string, string[]>, k: string, paths: string[]): void => {
    if (paths.length) m.set(k, [...new Set([...(m.get(k) ?? []), ...paths])]);
  };
  for (const [sdkOp, entries] of Object.entries(map.sdk_method_iam_mappings)) {
    const [svc, op] = [sdkOp.slice(0, sdkOp.indexOf('.')), sdkOp.slice(sdkOp.indexOf('.') + 1)];
    const prefix = map.sdk_service_mappings[svc] ?? entries[0]?.action.split(':')[0];
    for (const e of entries) {
      const key = `${prefix}:${op}\u0000${e.action}`.toLowerCase();
      const f = out.get(key) ?? { variables: new Map(), arns: new Map(), arnOrId: new Map() };
      for (const [v, m] of Object.entries(e.resource_mappings ?? {})) push(f.variables, v.toLowerCase(), pathsIn(m.template));
      for (const [t, tpl] of Object.entries(e.resourcearn_mappings ?? {})) {
        push(f.arns, t.toLowerCase(), pathsIn(tpl));
        if (/^\$\{[^}]+\}$/.test(tpl)) push(f.arnOrId, t.toLowerCase(), pathsIn(tpl));
      }
      out.set(key, f);
    }
  }
  return out;
}
