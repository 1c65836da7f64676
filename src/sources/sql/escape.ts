// Everything that goes into a query string passes through here: literals are quoted and doubled, names are
// validated against a strict alphabet, so no user input (a role path, a table name, a store ID) can close a
// string, start a comment or add a statement.
import { InvalidInput, opt, say, valueFields, type MessagePart } from '../../errors.js';

/** Printable ASCII only: control characters and non-ASCII never occur in the values we quote. */
const PRINTABLE = /^[\x20-\x7e]*$/;

/** A SQL string literal: single quotes doubled. */
export function sqlString(value: string): string {
  if (!PRINTABLE.test(value)) throw new InvalidInput(`the value ${JSON.stringify(value)} has characters that cannot go into a query; use printable ASCII`, { value });
  return `'${value.replace(/'/g, "''")}'`;
}

/** A LIKE pattern literal matching `value` literally, for use with ESCAPE '\'. */
export function likeLiteral(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The ESCAPE clause that goes with likeLiteral. */
export const LIKE_ESCAPE = "ESCAPE '\\'";

const IDENT = /^[A-Za-z0-9_](?:-?[A-Za-z0-9_]){0,254}$/;

/**
 * An Athena table reference: `table`, `db.table` or `catalog.db.table`, each part letters, digits, `_` or `-`
 * (Glue's alphabet). Returned with every part double-quoted, plus the parts for GetTableMetadata.
 */
export function athenaTableName(input: string): { sql: string; catalog?: string; database?: string; table: string } {
  const parts = input.trim().split('.');
  if (parts.length > 3 || parts.some((p) => !IDENT.test(p))) {
    throw new InvalidInput(
      say`${opt('athenaTable')} ${JSON.stringify(input)} is not a table name; use <database>.<table> with letters, digits, _ and - only (e.g. default.cloudtrail_logs)`,
      { option: 'athenaTable', value: input },
    );
  }
  const table = parts[parts.length - 1];
  const database = parts.length >= 2 ? parts[parts.length - 2] : undefined;
  const catalog = parts.length === 3 ? parts[0] : undefined;
  return { sql: parts.map((p) => `"${p.toLowerCase()}"`).join('.'), catalog, database, table };
}

const STORE_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):cloudtrail:([a-z0-9-]+):(\d{12}):eventdatastore\/([A-Za-z0-9-]+)$/;
const STORE_ID = /^[A-Za-z0-9][A-Za-z0-9-]{2,127}$/;

/** A CloudTrail Lake event data store, from its ARN or its ID; the ID is the query's table name. */
export function eventDataStore(input: string): { id: string; arn?: string; region?: string } {
  const v = input.trim();
  const m = STORE_ARN.exec(v);
  if (m && STORE_ID.test(m[4])) return { id: m[4], arn: v, region: m[2] };
  if (!v.startsWith('arn:') && STORE_ID.test(v)) return { id: v };
  throw new InvalidInput(
    say`${opt('eventDataStore')} ${JSON.stringify(input)} is not an event data store ARN or ID; use arn:aws:cloudtrail:<region>:<account>:eventdatastore/<id> or the <id> alone`,
    { option: 'eventDataStore', value: input },
  );
}

const REGION = /^[a-z]{2,}(-[a-z]+)+-\d{1,2}$/;

/** `name`: how the message names the value (`opt('region')` for the caller's option, or plain text). */
export function validRegion(name: MessagePart, region: string): string {
  if (!REGION.test(region)) throw new InvalidInput(say`${name} ${JSON.stringify(region)} is not an AWS region name (e.g. us-east-1)`, valueFields(name, region));
  return region;
}

export function validAccount(name: MessagePart, account: string): string {
  if (!/^\d{12}$/.test(account)) throw new InvalidInput(say`${name} ${JSON.stringify(account)} is not a 12-digit AWS account ID`, valueFields(name, account));
  return account;
}
