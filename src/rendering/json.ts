// Stable JSON for files people commit: two-space indent, a final newline, same bytes on every run.
export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
