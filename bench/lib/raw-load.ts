import { type Measurement, summarize } from './stats.ts';

/**
 * Runs `operation` in `concurrency` async loops, each starting the next operation when its
 * previous one ends, for `seconds` after a discarded warm-up; latency per operation with hrtime.
 * The operation receives a counter that increases across loops (as the HTTP generator's `{n}`)
 * and the index of its loop (0 to concurrency - 1: one agent each, say).
 */
export async function measureLoops(
  operation: (i: number, loop: number) => Promise<unknown>,
  options: { concurrency: number; seconds: number; warmupSeconds: number },
): Promise<Measurement> {
  let n = 0;
  const run = async (seconds: number) => {
    const latencies: number[] = [];
    let errors = 0;
    let firstError: unknown;
    const started = process.hrtime.bigint();
    const deadline = started + BigInt(Math.round(seconds * 1e9));
    const loop = async (_: unknown, index: number) => {
      while (process.hrtime.bigint() < deadline) {
        const t0 = process.hrtime.bigint();
        try {
          await operation(n++, index);
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        } catch (error) {
          errors++;
          firstError ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, loop));
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    if (firstError) console.warn(`  ${errors} opération(s) en échec, première erreur :`, firstError);
    return summarize(latencies, errors, elapsed);
  };
  if (options.warmupSeconds > 0) await run(options.warmupSeconds);
  return run(options.seconds);
}
