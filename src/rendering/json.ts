// JSON as the tool writes its files: two-space indent and a final newline. Keys keep the order they were built
// in (nothing is sorted here), so the bytes are stable because callers build their values in a stable order.
export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
