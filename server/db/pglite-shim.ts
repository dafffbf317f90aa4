import { PglitePgConnection } from '@electric-sql/pglite/node-postgres';

/**
 * Two fixes to PGlite's node-postgres protocol shim, applied once when the module loads
 * (ADR 3):
 *
 * 1. node-postgres hands its per-query type parsers (an object) to parse() as `types`; the real
 *    protocol writer ignores a non-array there, the shim calls forEach on it and the query hangs.
 *    Keep only arrays.
 * 2. The shim chains every protocol message on promises, so a busy pool never yields to the event
 *    loop: HTTP requests, timers and health checks wait until the queue is empty. Messages sent in
 *    the same tick (one query: parse, bind, execute, sync) are batched and handed over on the next
 *    macrotask, so other I/O gets a turn between queries.
 */
type Proto = Record<string, (...args: unknown[]) => void>;
type Pending = { queue: [(...args: unknown[]) => void, unknown[]][] };
const proto = PglitePgConnection.prototype as unknown as Proto;
const pending = new WeakMap<object, Pending>();

const originalParse = proto.parse!;
proto.parse = function parse(query: unknown) {
  const q = query as { types?: unknown };
  originalParse.call(this, Array.isArray(q?.types) ? q : { ...q, types: undefined });
};

for (const name of ['query', 'parse', 'bind', 'describe', 'execute', 'flush', 'sync', 'close']) {
  const original = proto[name]!;
  proto[name] = function deferred(this: object, ...args: unknown[]) {
    let state = pending.get(this);
    if (!state) {
      state = { queue: [] };
      pending.set(this, state);
    }
    state.queue.push([original, args]);
    if (state.queue.length > 1) return;
    setImmediate(() => {
      const batch = state.queue;
      state.queue = [];
      for (const [fn, fnArgs] of batch) fn.apply(this, fnArgs);
    });
  };
}
