/**
 * The visits typed while the server could not be reached, kept in localStorage until they are
 * sent. Each one carries its idempotency key: sending it again is answered 200 with the visit
 * already stored, so a retry never makes a duplicate.
 */

export interface QueuedVisit {
  /** The idempotency key, also the entry's identity in the queue. */
  key: string;
  /** Who typed it: only this person's session sends it. */
  userId: string;
  territoryId: string;
  body: Record<string, unknown>;
  queuedAt: string;
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const QUEUE_STORAGE_KEY = 'relais.accueils.en-attente';

function isQueuedVisit(value: unknown): value is QueuedVisit {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.key === 'string' &&
    typeof v.userId === 'string' &&
    typeof v.territoryId === 'string' &&
    typeof v.queuedAt === 'string' &&
    !!v.body &&
    typeof v.body === 'object'
  );
}

/** The queue as stored; anything unreadable is dropped rather than blocking the page. */
export function readQueue(store: KeyValueStore): QueuedVisit[] {
  try {
    const parsed: unknown = JSON.parse(store.getItem(QUEUE_STORAGE_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isQueuedVisit) : [];
  } catch {
    return [];
  }
}

export function writeQueue(store: KeyValueStore, queue: QueuedVisit[]) {
  store.setItem(QUEUE_STORAGE_KEY, JSON.stringify(queue));
}

/** Adds a visit, or replaces the one with the same key (the same visit queued twice stays one). */
export function enqueue(queue: QueuedVisit[], visit: QueuedVisit): QueuedVisit[] {
  return [...queue.filter((v) => v.key !== visit.key), visit];
}

export const withoutKey = (queue: QueuedVisit[], key: string) => queue.filter((v) => v.key !== key);

export const pendingFor = (queue: QueuedVisit[], userId: string) => queue.filter((v) => v.userId === userId);

/** What to do with a queued visit after one attempt to send it. */
export type SendOutcome = 'sent' | 'retry' | 'rejected';

/**
 * A network failure (status 0), a lost session (401, the person signs in again) or a server
 * error (5xx) keeps the visit for the next attempt; any other refusal (400, 403, 404, 409, 422)
 * would be refused again, so the visit leaves the queue and is reported.
 */
export function outcomeOf(status: number | null): SendOutcome {
  if (status === null) return 'sent';
  if (status === 0 || status === 401 || status === 408 || status === 429 || status >= 500) return 'retry';
  return 'rejected';
}

/** "1 accueil en attente d’envoi", "3 accueils en attente d’envoi". */
export const pendingLabel = (count: number) => `${count} ${count > 1 ? 'accueils' : 'accueil'} en attente d’envoi`;

/** A random idempotency key; crypto.randomUUID only exists on https (or localhost), so a fallback for plain http. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
