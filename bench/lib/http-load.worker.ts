import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import autocannon, { type AutocannonRequest } from 'autocannon';
import { type HttpLoad, type HttpLoadReport, requestKey } from './http-load.ts';

/** Runs in a worker thread: a warm-up, then the measured autocannon run; posts every latency back. */
const load = workerData as HttpLoad;
let n = 0;

const bodyOf = (template: string, i: number, keyPrefix: string) =>
  template.replaceAll('{n}', `n${i}`).replaceAll('{key}', requestKey(keyPrefix, i));

async function run(seconds: number, record: boolean, keyPrefix: string): Promise<HttpLoadReport> {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let failures = 0;
  /** One autocannon instance per client when each has its own session, else one with `connections`. */
  const clients: NonNullable<HttpLoad['clients']> = load.clients ?? [
    { headers: load.headers, bodyTemplates: load.bodyTemplate ? [load.bodyTemplate] : [] },
  ];
  const instances = clients.map((client) => {
    let own = 0;
    let ownPath = 0;
    const request: AutocannonRequest = {
      method: load.method,
      headers: { ...load.headers, ...client.headers },
      setupRequest(req) {
        const i = n++;
        const path = client.paths?.length ? client.paths[ownPath++ % client.paths.length]! : load.paths[i % load.paths.length]!;
        const template = client.bodyTemplates[own++ % Math.max(1, client.bodyTemplates.length)];
        return template ? { ...req, path, body: bodyOf(template, i, keyPrefix) } : { ...req, path };
      },
    };
    const instance = autocannon({
      url: load.baseUrl,
      connections: load.clients ? 1 : load.connections,
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
    return instance;
  });
  const started = performance.now();
  const results = await Promise.all(instances);
  const elapsed = (performance.now() - started) / 1000;
  const errors = failures + results.reduce((sum, r) => sum + r.errors + r.timeouts, 0);
  return { latencies: Float64Array.from(latencies), errors, seconds: elapsed, statusCodes };
}

if (load.warmupSeconds > 0) await run(load.warmupSeconds, false, randomBytes(4).toString('hex'));
const report = await run(load.seconds, true, load.keyPrefix ?? randomBytes(4).toString('hex'));
parentPort!.postMessage(report, [report.latencies.buffer]);
