import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useSyncExternalStore } from 'react';
import { ApiError, apiRequest } from '../../api/client.ts';
import { enqueue, outcomeOf, pendingFor, QUEUE_STORAGE_KEY, type QueuedVisit, readQueue, withoutKey, writeQueue } from './queue.ts';

/** Every 30 s, and when the browser says it is back online, the queue is sent again. */
export const RETRY_INTERVAL_MS = 30_000;

export interface RejectedVisit {
  visit: QueuedVisit;
  message: string;
}

const listeners = new Set<() => void>();
let rejected: RejectedVisit[] = [];
let flushing: Promise<void> | null = null;

const notify = () => {
  for (const listener of listeners) listener();
};
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  // Another tab changed the queue.
  const onStorage = (event: StorageEvent) => {
    if (event.key === QUEUE_STORAGE_KEY) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
};
const rawQueue = () => {
  try {
    return localStorage.getItem(QUEUE_STORAGE_KEY) ?? '[]';
  } catch {
    return '[]';
  }
};
const store = {
  getItem: (key: string) => {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  setItem: (key: string, value: string) => {
    try {
      localStorage.setItem(key, value);
    } catch {
      // storage full or forbidden: the visit stays on screen in the error message
    }
  },
};
const update = (change: (queue: QueuedVisit[]) => QueuedVisit[]) => {
  writeQueue(store, change(readQueue(store)));
  notify();
};
const rejectedSnapshot = () => rejected;

export const visitsPath = (territoryId: string) => `/api/territories/${territoryId}/visits`;

/** Sends the person's queued visits one by one; stops at the first that cannot reach the server. */
async function flush(userId: string, onSent: () => void) {
  let sent = 0;
  for (const visit of pendingFor(readQueue(store), userId)) {
    let status: number | null = null;
    let message = '';
    try {
      await apiRequest('POST', visitsPath(visit.territoryId), { body: visit.body, allowUnauthenticated: true });
    } catch (error) {
      status = error instanceof ApiError ? error.status : 0;
      message = error instanceof ApiError ? error.detail : 'Erreur inattendue.';
    }
    const outcome = outcomeOf(status);
    if (outcome === 'retry') break;
    update((queue) => withoutKey(queue, visit.key));
    if (outcome === 'sent') sent += 1;
    else {
      rejected = [...rejected, { visit, message }];
      notify();
    }
  }
  if (sent > 0) onSent();
}

/**
 * The visits waiting to be sent by this person. With `sync`, the component also sends them now,
 * when the connection comes back and every 30 s (one component per page is enough).
 */
export function useVisitQueue(userId: string, options: { sync?: boolean } = {}) {
  const queryClient = useQueryClient();
  const raw = useSyncExternalStore(subscribe, rawQueue, () => '[]');
  const rejectedNow = useSyncExternalStore(subscribe, rejectedSnapshot, rejectedSnapshot);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the snapshot string is what changes
  const pending = useMemo(() => pendingFor(readQueue(store), userId), [raw, userId]);

  const sendNow = useCallback(() => {
    flushing ??= flush(userId, () => void queryClient.invalidateQueries({ queryKey: ['visits'] })).finally(() => {
      flushing = null;
    });
    return flushing;
  }, [userId, queryClient]);

  const sync = options.sync ?? false;
  useEffect(() => {
    if (!sync) return;
    void sendNow();
    const onOnline = () => void sendNow();
    window.addEventListener('online', onOnline);
    const timer = window.setInterval(() => void sendNow(), RETRY_INTERVAL_MS);
    return () => {
      window.removeEventListener('online', onOnline);
      window.clearInterval(timer);
    };
  }, [sync, sendNow]);

  const add = useCallback((visit: QueuedVisit) => update((queue) => enqueue(queue, visit)), []);
  const dismissRejected = useCallback(() => {
    rejected = [];
    notify();
  }, []);
  return { pending, rejected: rejectedNow.filter((r) => r.visit.userId === userId), add, sendNow, dismissRejected };
}
