// eventSource -> IAM service prefix: strip the ".amazonaws.com" suffix (never "split at the first dot", which
// breaks streams.dynamodb and runtime.lex), after the table of known exceptions.
import table from './data/service-prefixes.json' with { type: 'json' };

const exceptions = new Map(Object.entries((table as { prefixes: Record<string, string> }).prefixes));

export function servicePrefix(eventSource: string): string {
  const source = eventSource.trim().toLowerCase();
  const known = exceptions.get(source);
  if (known) return known;
  return source.endsWith('.amazonaws.com') ? source.slice(0, -'.amazonaws.com'.length) : source;
}
