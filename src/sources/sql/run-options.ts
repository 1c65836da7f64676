// What both query engines' runners take: cancellation, progress, polling and paging, and the price per TB.
export interface EngineRunOptions {
  signal?: AbortSignal;
  progress?: (line: string) => void;
  /** Milliseconds between status polls (default 1000). */
  pollMs?: number;
  /** First backoff after throttling (default 200 ms). */
  retryBaseMs?: number;
  /** USD per TB scanned, for the progress line and the cost (default 5). */
  pricePerTb?: number;
  /** Rows per results page (1..1000, default 1000). */
  pageSize?: number;
}
