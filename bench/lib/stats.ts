/** One measured run: how many operations completed, how fast, and how long they took. */
export interface Measurement {
  /** Operations that succeeded (2xx for HTTP, no error for raw SQL). */
  count: number;
  /** Failed operations: non-2xx answers, socket errors, timeouts, SQL errors. */
  errors: number;
  seconds: number;
  /** Successful operations per second. */
  throughput: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p95: number;
  p99: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarize(latenciesMs: number[], errors: number, seconds: number): Measurement {
  const sorted = Float64Array.from(latenciesMs).sort();
  return {
    count: sorted.length,
    errors,
    seconds,
    throughput: seconds > 0 ? sorted.length / seconds : 0,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
}

export const formatNumber = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('fr-FR', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–';

/** Milliseconds with a precision that suits the magnitude. */
export const formatMs = (ms: number) => (Number.isFinite(ms) ? formatNumber(ms, ms < 10 ? 2 : ms < 100 ? 1 : 0) : '–');

export const formatRatio = (r: number) => (Number.isFinite(r) ? formatNumber(r, 2) : '–');
