import { Worker } from 'node:worker_threads';
import { type Measurement, summarize } from './stats.ts';

/** What the load generator sends: one request shape, its paths taken in turn. */
export interface HttpLoad {
  baseUrl: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Request i goes to paths[i % paths.length]. */
  paths: string[];
  headers: Record<string, string>;
  /** JSON body; every `{n}` becomes `n<i>` for request i, so that each write changes something. */
  bodyTemplate?: string;
  connections: number;
  seconds: number;
  warmupSeconds: number;
}

export interface HttpLoadReport {
  latencies: Float64Array<ArrayBuffer>;
  errors: number;
  seconds: number;
  statusCodes: Record<string, number>;
}

/**
 * Measures the app over HTTP with autocannon, `connections` keep-alive connections each sending
 * the next request as soon as the previous answer arrives. The generator runs in a worker thread
 * so that it does not share the server's event loop; latencies are taken per response.
 */
export function measureHttp(load: HttpLoad): Promise<Measurement & { statusCodes: Record<string, number> }> {
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
