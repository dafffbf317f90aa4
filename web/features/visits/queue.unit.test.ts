import { describe, expect, it } from 'vitest';
import {
  enqueue,
  type KeyValueStore,
  newIdempotencyKey,
  outcomeOf,
  pendingFor,
  pendingLabel,
  QUEUE_STORAGE_KEY,
  type QueuedVisit,
  readQueue,
  withoutKey,
  writeQueue,
} from './queue.ts';

const memoryStore = (initial: Record<string, string> = {}): KeyValueStore => {
  const data = new Map(Object.entries(initial));
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
};

const visit = (key: string, userId = 'u1'): QueuedVisit => ({
  key,
  userId,
  territoryId: 't1',
  body: { channel: 'sur_place', idempotencyKey: key },
  queuedAt: '2026-11-24T10:00:00.000Z',
});

describe('the offline queue of visits', () => {
  it('keeps one entry per idempotency key and survives a reload through the store', () => {
    const store = memoryStore();
    let queue = enqueue([], visit('k1'));
    queue = enqueue(queue, visit('k1'));
    queue = enqueue(queue, visit('k2', 'u2'));
    writeQueue(store, queue);
    expect(readQueue(store).map((v) => v.key)).toEqual(['k1', 'k2']);
    expect(pendingFor(readQueue(store), 'u1').map((v) => v.key)).toEqual(['k1']);
    expect(withoutKey(queue, 'k1').map((v) => v.key)).toEqual(['k2']);
  });

  it('reads a damaged store as empty and drops malformed entries', () => {
    expect(readQueue(memoryStore({ [QUEUE_STORAGE_KEY]: '{oops' }))).toEqual([]);
    expect(readQueue(memoryStore({ [QUEUE_STORAGE_KEY]: JSON.stringify([{ key: 1 }, visit('ok')]) })).map((v) => v.key)).toEqual(['ok']);
  });

  it('retries after a network failure, a lost session or a server error, and gives up on a refusal', () => {
    expect(outcomeOf(null)).toBe('sent');
    for (const status of [0, 401, 429, 500, 503]) expect(outcomeOf(status)).toBe('retry');
    for (const status of [400, 403, 404, 409, 422]) expect(outcomeOf(status)).toBe('rejected');
  });

  it('says how many visits wait, in French', () => {
    expect(pendingLabel(1)).toBe('1 accueil en attente d’envoi');
    expect(pendingLabel(3)).toBe('3 accueils en attente d’envoi');
  });

  it('makes version 4 UUIDs', () => {
    expect(newIdempotencyKey()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
