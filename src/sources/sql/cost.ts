// What a query cost: engines bill by bytes scanned. Athena rounds each query up to the megabyte with a 10 MB
// minimum; CloudTrail Lake bills the bytes scanned as they are.
const MB = 1024 * 1024;
export const ATHENA_MIN_BILLED_BYTES = 10 * MB;
export const DEFAULT_PRICE_PER_TB = 5;

export function athenaCostUsd(bytes: number, pricePerTb: number): number {
  const billed = Math.max(Math.ceil(bytes / MB) * MB, ATHENA_MIN_BILLED_BYTES);
  return (billed / 1e12) * pricePerTb;
}

export function lakeCostUsd(bytes: number, pricePerTb: number): number {
  return (bytes / 1e12) * pricePerTb;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

export function formatUsd(usd: number): string {
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}
