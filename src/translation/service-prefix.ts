// eventSource -> IAM service prefix: strip the ".amazonaws.com" suffix (never "split at the first dot", which
// breaks streams.dynamodb and runtime.lex), after the table of known exceptions.
import { SERVICE_PREFIXES } from './tables.js';

const exceptions = new Map(Object.entries(SERVICE_PREFIXES.prefixes));

export function servicePrefix(eventSource: string): string {
  const source = eventSource.trim().toLowerCase();
  const known = exceptions.get(source);
  if (known) return known;
  return source.endsWith('.amazonaws.com') ? source.slice(0, -'.amazonaws.com'.length) : source;
}
