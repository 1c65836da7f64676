// DynamoDB calls whose permissions depend on each statement or item of the request: PartiQL statements need
// the PartiQL action of their verb on the table (or index) they name; transactions need the item action of each
// operation on its table. The table of calls is data/multi-permission-rules.json ("itemOperations").
import type { TrailRecord } from '../model.js';
import { fillTemplate } from './arn-template.js';
import { resourceTypeArn } from './iam-reference.js';
import { child } from './params.js';
import { MULTI_PERMISSION_RULES as table } from './tables.js';

const MAX_ITEMS = 100;
// DynamoDB table and index names: 3-255 of these characters; anything else names no table and is refused.
const NAME = /^[A-Za-z0-9_.-]{1,255}$/;
const TABLE_ARN = /^arn:[a-z-]+:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{1,255}$/;
const IDENT = String.raw`(?:"([^"]{1,255})"|([A-Za-z0-9_.-]{1,255}))`;
const TARGET: Record<string, RegExp> = {
  SELECT: new RegExp(String.raw`\bFROM\s+${IDENT}(?:\s*\.\s*${IDENT})?`, 'i'),
  INSERT: new RegExp(String.raw`^\s*INSERT\s+INTO\s+${IDENT}`, 'i'),
  UPDATE: new RegExp(String.raw`^\s*UPDATE\s+${IDENT}`, 'i'),
  DELETE: new RegExp(String.raw`^\s*DELETE\s+FROM\s+${IDENT}`, 'i'),
};

export interface ItemPermission {
  action: string;
  resource: string;
}

export function isItemOperationCall(key: string): boolean {
  return Object.prototype.hasOwnProperty.call(table.itemOperations, key);
}

/** Objects at "a" or every element of "a[]" under requestParameters. */
function objectsAt(record: TrailRecord, path: string): unknown[] {
  const fan = path.endsWith('[]');
  const v = child(record.requestParameters, fan ? path.slice(0, -2) : path);
  if (fan) return Array.isArray(v) ? v.slice(0, MAX_ITEMS) : [];
  return v === undefined ? [] : [v];
}

function tableArn(env: { partition: string; region: string; account: string }, name: string, index?: string): string | undefined {
  const tpl = resourceTypeArn('dynamodb', index === undefined ? 'table' : 'index');
  if (!tpl || !env.account || !env.region) return undefined;
  return fillTemplate(tpl, { Partition: env.partition, Region: env.region, Account: env.account, TableName: name, IndexName: index ?? '' });
}

function statementPermission(statement: string, env: { partition: string; region: string; account: string }): ItemPermission | undefined {
  const verb = /^\s*([A-Za-z]+)/.exec(statement)?.[1]?.toUpperCase();
  const action = verb ? table.partiqlVerbs[verb] : undefined;
  const re = verb ? TARGET[verb] : undefined;
  const m = re?.exec(statement.slice(0, 4096));
  if (!action || !m) return undefined;
  const name = m[1] ?? m[2];
  const index = verb === 'SELECT' ? (m[3] ?? m[4]) : undefined;
  if (!NAME.test(name) || (index !== undefined && !NAME.test(index))) return undefined;
  const resource = tableArn(env, name, index);
  return resource ? { action, resource } : undefined;
}

/**
 * The permissions of a PartiQL or transaction call, one per statement or item, in request order without
 * repeats; `unread` counts statements or items that named no table this code can read (they are not granted).
 */
export function itemPermissions(
  key: string,
  record: TrailRecord,
  env: { partition: string; region: string; account: string },
): { permissions: ItemPermission[]; unread: number } {
  const op = table.itemOperations[key];
  const out: ItemPermission[] = [];
  let unread = 0;
  const grant = (action: string, name: unknown): void => {
    const resource = typeof name !== 'string' ? undefined : TABLE_ARN.test(name) ? name : NAME.test(name) ? tableArn(env, name) : undefined;
    if (resource) out.push({ action, resource });
    else unread++;
  };
  for (const path of [op.statements, op.logged?.statements]) {
    if (!path) continue;
    for (const s of objectsAt(record, path)) {
      const text = typeof s === 'string' ? s : child(s, 'statement');
      const p = typeof text === 'string' ? statementPermission(text, env) : undefined;
      if (p) out.push(p);
      else unread++;
    }
  }
  if (op.items && op.operations) {
    for (const item of objectsAt(record, op.items)) {
      let found = false;
      for (const [operation, action] of Object.entries(op.operations)) {
        const name = child(child(item, operation), 'tableName');
        if (typeof name !== 'string') continue;
        found = true;
        grant(action, name);
      }
      if (!found) unread++;
    }
  }
  // As logged: {"operation": "Put", "tableName": "Music", ...}; an operation not in the table is not granted.
  const logged = op.logged;
  if (logged?.items && logged.operation && logged.table && op.operations) {
    const actions = new Map(Object.entries(op.operations).map(([k, v]) => [k.toLowerCase(), v]));
    for (const item of objectsAt(record, logged.items)) {
      const operation = child(item, logged.operation);
      const action = typeof operation === 'string' ? actions.get(operation.toLowerCase()) : undefined;
      if (action) grant(action, child(item, logged.table));
      else unread++;
    }
  }
  const seen = new Set<string>();
  return { permissions: out.filter((p) => !seen.has(`${p.action} ${p.resource}`) && seen.add(`${p.action} ${p.resource}`)), unread };
}
