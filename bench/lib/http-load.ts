import { Worker } from 'node:worker_threads';
import { type Measurement, summarize } from './stats.ts';

/** What the load generator sends: one request shape, its paths taken in turn. */
export interface HttpLoad {
  baseUrl: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Request i goes to paths[i % paths.length]. */
  paths: string[];
  headers: Record<string, string>;
  /** JSON body; every `{n}` becomes `n<i>` for request i, so that each write changes something, and `{key}` requestKey(keyPrefix, i). */
  bodyTemplate?: string;
  connections: number;
  /**
   * One keep-alive connection per client instead of `connections`, each with its own headers (its
   * own session, say) over the common ones, its own bodies taken in turn (templates as above), and
   * its own paths taken in turn when given (instead of `paths`).
   */
  clients?: { headers: Record<string, string>; bodyTemplates: string[]; paths?: string[] }[];
  /** 8 hex digits that start every `{key}` of the measured run (the warm-up uses another prefix). */
  keyPrefix?: string;
  seconds: number;
  warmupSeconds: number;
}

export interface HttpLoadReport {
  latencies: Float64Array<ArrayBuffer>;
  errors: number;
  seconds: number;
  statusCodes: Record<string, number>;
}

/** A UUID unique to request i of a run whose keys start with `prefix` (8 hex digits): an idempotency key. */
export const requestKey = (prefix: string, i: number) => `${prefix}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

/**
 * Measures the app over HTTP with autocannon, `connections` keep-alive connections each sending
 * the next request as soon as the previous answer arrives. The generator runs in a worker thread
 * so that it does not share the server's event loop; latencies are taken per response.
 */
export async function measureHttp(
  load: HttpLoad,
  /** Runs between the warm-up and the measured run (waiting for the app to answer what the warm-up left queued). */
  afterWarmup?: () => Promise<void>,
): Promise<Measurement & { statusCodes: Record<string, number> }> {
  if (!afterWarmup || load.warmupSeconds <= 0) return runWorker(load);
  await runWorker({ ...load, seconds: load.warmupSeconds, warmupSeconds: 0, keyPrefix: undefined });
  await afterWarmup();
  return runWorker({ ...load, warmupSeconds: 0 });
}

function runWorker(load: HttpLoad): Promise<Measurement & { statusCodes: Record<string, number> }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./http-load.worker.ts', import.meta.url), { workerData: load });
    let settled = false;
    worker.once('message', (report: HttpLoadReport) => {
      settled = true;
      resolve({ ...summarize(Array.from(report.latencies), report.errors, report.seconds), statusCodes: report.statusCodes });
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`load generator exited with code ${code}`));
    });
  });
}
