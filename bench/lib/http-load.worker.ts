import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import autocannon, { type AutocannonRequest } from 'autocannon';
import type { HttpLoad, HttpLoadReport } from './http-load.ts';

/** Runs in a worker thread: a warm-up, then the measured autocannon run; posts every latency back. */
const load = workerData as HttpLoad;
let n = 0;

async function run(seconds: number, record: boolean): Promise<HttpLoadReport> {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let failures = 0;
  const request: AutocannonRequest = {
    method: load.method,
    headers: load.headers,
    setupRequest(req) {
      const i = n++;
      const path = load.paths[i % load.paths.length]!;
      return load.bodyTemplate ? { ...req, path, body: load.bodyTemplate.replaceAll('{n}', `n${i}`) } : { ...req, path };
    },
  };
  const started = performance.now();
  const instance = autocannon({
    url: load.baseUrl,
    connections: load.connections,
    duration: seconds,
    timeout: 30,
    requests: [request],
  });
  if (record) {
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      statusCodes[status] = (statusCodes[status] ?? 0) + 1;
      if (status >= 200 && status < 300) latencies.push(ms);
      else failures++;
    });
  }
  const result = await instance;
  const elapsed = (performance.now() - started) / 1000;
  return { latencies: Float64Array.from(latencies), errors: failures + result.errors + result.timeouts, seconds: elapsed, statusCodes };
}

if (load.warmupSeconds > 0) await run(load.warmupSeconds, false);
const report = await run(load.seconds, true);
parentPort!.postMessage(report, [report.latencies.buffer]);
