// Reads values out of a record by a small path language: "a.b" walks objects, "a[]" fans out over an array,
// a leading "additionalEventData." reads that object instead of requestParameters. Matching of keys is exact
// first, then case-insensitive, because producers differ in case (bucketName vs BucketName).
import type { TrailRecord } from '../model.js';

const MAX_VALUES = 256;

/** A key of an object, exact first, then case-insensitive; undefined for anything that is not a plain object. */
export function child(obj: unknown, key: string): unknown {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const o = obj as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(o, key)) return o[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

/** Every string (or number) value at the path; never throws, whatever shape the record has. */
export function valuesAt(record: TrailRecord, path: string): string[] {
  let root: unknown = record.requestParameters;
  let rest = path;
  if (path.startsWith('additionalEventData.')) {
    root = record.additionalEventData;
    rest = path.slice('additionalEventData.'.length);
  } else if (path.startsWith('responseElements.')) {
    root = record.responseElements;
    rest = path.slice('responseElements.'.length);
  }
  let current: unknown[] = [root];
  for (const part of rest.split('.')) {
    const fan = part.endsWith('[]');
    const key = fan ? part.slice(0, -2) : part;
    const next: unknown[] = [];
    for (const c of current) {
      const v = child(c, key);
      if (v === undefined || v === null) continue;
      if (fan) {
        if (Array.isArray(v)) next.push(...v.slice(0, MAX_VALUES));
      } else next.push(v);
    }
    current = next;
    if (current.length === 0) return [];
  }
  const out: string[] = [];
  for (const v of current) {
    if (typeof v === 'string' && v.length > 0) out.push(v);
    else if (typeof v === 'number' && Number.isFinite(v)) out.push(String(v));
  }
  return out.slice(0, MAX_VALUES);
}

export function hasValue(record: TrailRecord, path: string): boolean {
  let root: unknown = path.startsWith('additionalEventData.') ? record.additionalEventData : record.requestParameters;
  const rest = path.startsWith('additionalEventData.') ? path.slice('additionalEventData.'.length) : path;
  for (const part of rest.split('.')) {
    const key = part.endsWith('[]') ? part.slice(0, -2) : part;
    root = child(root, key);
    if (Array.isArray(root)) root = root[0];
    if (root === undefined || root === null || root === '') return false;
  }
  return true;
}
