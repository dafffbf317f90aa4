import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type Database, openDatabase, pgliteExtensions } from '../../db/client.ts';
import { ApiClient } from '../../test/api-client.ts';
import { createContactPoint, createOrganisation, createTerritory, createUser } from '../../test/factories.ts';
import { withDatabase } from '../../test/global-setup.ts';
import { testDriver } from '../../test/test-app.ts';
import { deadlineState } from './deadline.ts';
import { clockEventsOf } from './log.ts';

/**
 * The reliability promise of the issue: a server killed with SIGKILL in the middle of a burst of
 * writes (request creations and messages, each with an Idempotency-Key) and restarted on the same
 * data has kept every write it acknowledged exactly once, and nothing else; a client retrying every
 * key after the restart gets the acknowledged ones back as replays. The real server (`server/main.ts`)
 * runs as a child process on PGlite (a DATA_DIR) or PostgreSQL (a database cloned from the template).
 */

const root = resolve(import.meta.dirname, '../../..');
const SECRET_KEY = Buffer.alloc(32, 7).toString('base64');
const ROUNDS = 2;

interface Target {
  env: Record<string, string>;
  open(): Promise<Database>;
  /** PGlite: the lock file a crashed server leaves behind. */
  lockFile: string | null;
  cleanup(): Promise<void>;
}

/** A migrated database the child server will open: a DATA_DIR holding the PGlite dump, or a clone of the template. */
async function prepareTarget(): Promise<Target> {
  if (testDriver === 'postgres') {
    const url = process.env.TEST_DATABASE_URL!;
    const template = inject('pgTemplate');
    // Named like createTestDatabase's clones, so the global teardown drops it if this file dies.
    const name = `${template.replace('tpl', 't')}_crash_${randomUUID().slice(0, 8)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    await admin.end();
    const dbUrl = withDatabase(url, name);
    return {
      env: { DATABASE_URL: dbUrl, DATABASE_POOL_SIZE: '10' },
      open: () => openDatabase({ kind: 'postgres', url: dbUrl, poolSize: 2 }),
      lockFile: null,
      async cleanup() {
        const dropper = new pg.Client({ connectionString: url });
        await dropper.connect();
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await dropper.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'relais-crash-'));
  const pgliteDir = join(dir, 'pglite');
  // The migrated dump of the global setup, unpacked into the directory the server will use.
  const lite = await PGlite.create(pgliteDir, {
    loadDataDir: new Blob([readFileSync(inject('pgliteDump'))]),
    extensions: pgliteExtensions,
  });
  await lite.close();
  return {
    env: { DATA_DIR: dir },
    open: () => openDatabase({ kind: 'pglite', dataDir: pgliteDir }),
    lockFile: join(pgliteDir, 'relais.lock'),
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const freePort = async () => {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Server {
  child: ChildProcess;
  output: { text: string };
}
const started: Server[] = [];

/** `server/main.ts` in its own process (node itself runs it, so SIGKILL hits the server, not a wrapper). */
async function startServer(target: Target, port: number): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      ...target.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      SECRET_KEY,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server = { child, output: { text: '' } };
  started.push(server);
  child.stdout!.on('data', (chunk) => {
    server.output.text += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    server.output.text += chunk;
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${server.output.text}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.status === 200) return server;
    } catch {}
    await sleep(100);
  }
  throw new Error(`the server did not answer /api/health within 60 s:\n${server.output.text}`);
}

afterAll(async () => {
  for (const { child } of started) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {}
    await once(child, 'exit');
  }
});

async function signIn(baseUrl: string, user: { email: string; password: string }) {
  const client = new ApiClient(baseUrl);
  const res = await client.post('/api/auth/login', { email: user.email, password: user.password });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  return client;
}

type Kind = 'create' | 'agent_message' | 'referent_message';
interface Attempt {
  key: string;
  kind: Kind;
  by: 'agent' | 'referent';
  path: string;
  body: Record<string, unknown>;
  /** Set when the server answered 201 before the kill: the write was acknowledged. */
  ack?: { requestId: string; messageId?: string; statusCode?: string };
  /** A non-2xx answer during the burst (none is expected). */
  refused?: { status: number; body: unknown };
  /** The answer to the retry after the restart. */
  retry?: 'replayed' | 'created';
}

describe(`a server killed with SIGKILL during a burst of writes (${testDriver})`, () => {
  it('keeps every acknowledged write exactly once and nothing else, across two kills and restarts', async () => {
    const target = await prepareTarget();
    try {
      // Fixtures written straight into the database the server will open, then closed (PGlite is one process's).
      const db0 = await target.open();
      const territory = await createTerritory(db0.db);
      const tid = territory.id;
      const cp = await createContactPoint(db0.db, tid);
      const org = await createOrganisation(db0.db, tid, { acronym: `CAF-${randomUUID().slice(0, 4)}`, name: 'CAF de l’Orne' });
      const agentUser = await createUser(db0.db, { memberships: [{ territoryId: tid, role: 'agent', contactPointId: cp.id }] });
      const referentUser = await createUser(db0.db, { memberships: [{ territoryId: tid, role: 'referent', organisationId: org.id }] });
      await db0.close();

      const port = await freePort();
      const baseUrl = `http://127.0.0.1:${port}`;
      let server = await startServer(target, port);
      const clients = { agent: await signIn(baseUrl, agentUser), referent: await signIn(baseUrl, referentUser) };
      const person = await clients.agent.post(`/api/territories/${tid}/people`, {
        firstName: 'Josiane',
        lastName: 'Panne',
        birthDate: '1958-04-12',
        cafNumber: '1234567',
        contactPointId: cp.id,
        confirmNotDuplicate: true,
      });
      expect(person.status, JSON.stringify(person.body)).toBe(201);

      const base = `/api/territories/${tid}/requests`;
      const attempts: Attempt[] = [];
      /** Requests whose creation was acknowledged: the message loops write on them. */
      const known: string[] = [];
      const newCreation = (): Attempt => {
        const key = `crash-${randomUUID()}`;
        return {
          key,
          kind: 'create',
          by: 'agent',
          path: base,
          body: {
            organisationId: org.id,
            personId: person.body.id,
            subject: `Saisine ${key}`,
            description: `Envoyée pendant la rafale (${key}).`,
            consent: { kind: 'consentement' },
          },
        };
      };
      const newMessage = (by: 'agent' | 'referent', n: number): Attempt => {
        const key = `crash-${randomUUID()}`;
        // Most referent messages go to the first two requests, so that writers wait for each other's row lock.
        const pool = by === 'referent' && n % 4 < 3 ? known.slice(0, 2) : known;
        const requestId = pool[Math.floor(Math.random() * pool.length)]!;
        const kind = by === 'agent' ? 'message' : n % 3 === 2 ? 'note_interne' : 'message';
        return {
          key,
          kind: by === 'agent' ? 'agent_message' : 'referent_message',
          by,
          path: `${base}/${requestId}/messages`,
          body: { kind, body: `Message ${key}` },
        };
      };
      const send = async (a: Attempt) => {
        attempts.push(a);
        return clients[a.by].post(a.path, a.body, { 'idempotency-key': a.key });
      };
      const acknowledge = (a: Attempt, res: Awaited<ReturnType<typeof send>>) => {
        if (a.kind === 'create') {
          a.ack = { requestId: res.body.id, statusCode: res.body.statusCode };
          known.push(res.body.id);
        } else {
          const message = (res.body.messages as { id: string; body: string }[]).find((m) => m.body === a.body.body);
          expect(message, `the answer to ${a.key} shows its message`).toBeDefined();
          a.ack = { requestId: res.body.id, messageId: message!.id };
        }
      };

      // A few requests before the first burst, so that messages have somewhere to go.
      for (let i = 0; i < 3; i++) {
        const a = newCreation();
        const res = await send(a);
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        acknowledge(a, res);
      }

      for (let round = 1; round <= ROUNDS; round++) {
        const before = attempts.length;
        let stopped = false;
        let acked = 0;
        const loop = async (next: (n: number) => Attempt) => {
          for (let n = 0; !stopped; n++) {
            const a = next(n);
            let res: Awaited<ReturnType<typeof send>>;
            try {
              res = await send(a);
            } catch {
              return; // the server is gone: this write may or may not have been committed
            }
            if (res.status !== 201) {
              a.refused = { status: res.status, body: res.body };
              return;
            }
            acknowledge(a, res);
            acked++;
          }
        };
        const loops = [
          ...Array.from({ length: 3 }, () => loop(newCreation)),
          ...Array.from({ length: 2 }, () => loop((n) => newMessage('agent', n))),
          ...Array.from({ length: 3 }, () => loop((n) => newMessage('referent', n))),
        ];
        // Kill at a random point once a couple dozen writes of this round were acknowledged.
        const since = Date.now();
        while (acked < 24 && !attempts.some((a) => a.refused) && Date.now() - since < 30_000) await sleep(10);
        await sleep(300 + Math.random() * 1200);
        const pid = server.child.pid!;
        server.child.kill('SIGKILL');
        await once(server.child, 'exit');
        stopped = true;
        await Promise.all(loops);
        const burst = attempts.slice(before);
        expect(
          burst.filter((a) => a.refused).map((a) => a.refused),
          'no write is refused during the burst',
        ).toEqual([]);
        const unacked = burst.filter((a) => !a.ack).length;
        console.info(`round ${round} (${testDriver}): ${burst.length} writes sent, ${burst.length - unacked} acknowledged before the kill`);
        expect(burst.length - unacked).toBeGreaterThanOrEqual(24);

        if (target.lockFile) {
          // The killed process could not remove its lock: the restart must take it over.
          expect(readFileSync(target.lockFile, 'utf8')).toBe(String(pid));
        }
        server = await startServer(target, port);
        if (target.lockFile) {
          expect(existsSync(target.lockFile)).toBe(true);
          expect(readFileSync(target.lockFile, 'utf8')).toBe(String(server.child.pid));
        }

        // A client retrying every write it sent, with the same key and body: the sessions survived the crash.
        for (const a of attempts) {
          const res = await clients[a.by].post(a.path, a.body, { 'idempotency-key': a.key });
          const context = `${a.kind} ${a.key}: ${res.status} ${JSON.stringify(res.body)}`;
          if (a.ack) {
            expect(res.status, context).toBe(200);
            expect(res.headers.get('idempotent-replayed'), context).toBe('true');
            expect(res.body.id, context).toBe(a.ack.requestId);
            if (a.kind === 'create') expect(res.body.statusCode, context).toBe(a.ack.statusCode);
            else {
              const message = (res.body.messages as { id: string; body: string }[]).find((m) => m.body === a.body.body);
              expect(message?.id, context).toBe(a.ack.messageId);
            }
            a.retry = 'replayed';
          } else {
            expect([200, 201], context).toContain(res.status);
            a.retry = res.status === 200 ? 'replayed' : 'created';
            expect(res.headers.get('idempotent-replayed'), context).toBe(res.status === 200 ? 'true' : null);
            acknowledge(a, res);
          }
        }
        const lost = burst.filter((a) => a.retry === 'created').length;
        console.info(
          `round ${round} (${testDriver}): of ${unacked} unacknowledged writes, ${unacked - lost} had committed, ${lost} were written on retry`,
        );
      }

      // A clean stop, then the database itself.
      server.child.kill('SIGTERM');
      const [code] = (await once(server.child, 'exit')) as [number];
      expect(code, server.output.text).toBe(0);
      if (target.lockFile) expect(existsSync(target.lockFile)).toBe(false);

      const db = await target.open();
      try {
        await checkDatabase(db, tid, attempts);
      } finally {
        await db.close();
      }
    } finally {
      await target.cleanup();
    }
  }, 180_000);
});

async function checkDatabase(database: Database, tid: string, attempts: Attempt[]) {
  const db = database.db;
  const creations = attempts.filter((a) => a.kind === 'create');
  const messages = attempts.filter((a) => a.kind !== 'create');

  // Exactly one request per creation key sent, no request with a key never sent.
  const requestRows = (
    await db.execute<{ id: string; key: string | null; subject: string; version: number; due_at: Date | string | null }>(
      sql`SELECT id, idempotency_key AS key, subject, version, due_at FROM requests WHERE territory_id = ${tid}`,
    )
  ).rows;
  expect(requestRows.map((r) => r.key).sort()).toEqual(creations.map((a) => a.key).sort());
  const requestByKey = new Map(requestRows.map((r) => [r.key, r]));
  for (const a of creations) {
    const row = requestByKey.get(a.key)!;
    expect(row.id).toBe(a.ack!.requestId);
    expect(row.subject).toBe(a.body.subject);
  }

  // Exactly one message per message key sent, on the request it was sent to, no other message.
  const messageRows = (
    await db.execute<{ id: string; key: string | null; request_id: string; body: string; kind: string }>(
      sql`SELECT id, idempotency_key AS key, request_id, body, kind FROM request_messages WHERE territory_id = ${tid}`,
    )
  ).rows;
  expect(messageRows.map((r) => r.key).sort()).toEqual(messages.map((a) => a.key).sort());
  const messageByKey = new Map(messageRows.map((r) => [r.key, r]));
  for (const a of messages) {
    const row = messageByKey.get(a.key)!;
    expect(row.request_id).toBe(a.ack!.requestId);
    expect(row.id).toBe(a.ack!.messageId);
    expect(row.body).toBe(a.body.body);
    expect(row.kind).toBe(a.body.kind);
  }

  // Each request's log is whole: one `created` event first, one event per message, one audit entry per
  // event, a version bumped once per event, and a due date that is the one the log gives.
  const events = (
    await db.execute<{ request_id: string; kind: string; message_id: string | null; at: Date | string }>(
      sql`SELECT request_id, kind, message_id, at FROM request_events WHERE territory_id = ${tid} ORDER BY id`,
    )
  ).rows;
  const audits = (
    await db.execute<{ target_id: string; type: string; n: number }>(
      sql`SELECT target_id, type, count(*)::int AS n FROM audit_events WHERE territory_id = ${tid} AND target_type = 'request' GROUP BY target_id, type`,
    )
  ).rows;
  const messagesByRequest = Map.groupBy(messageRows, (m) => m.request_id);
  const eventsByRequest = Map.groupBy(events, (e) => e.request_id);
  const expectedEventKind: Record<string, string> = { message: 'message', note_interne: 'note' };
  for (const row of requestRows) {
    const log = eventsByRequest.get(row.id) ?? [];
    const own = messagesByRequest.get(row.id) ?? [];
    expect(log[0]?.kind, row.id).toBe('created');
    // In log order, time never goes back: each event was stamped once its request was locked.
    const times = log.map((e) => new Date(e.at).getTime());
    expect(times, `times of ${row.id}'s log`).toEqual([...times].sort((a, b) => a - b));
    expect(log.filter((e) => e.kind === 'created')).toHaveLength(1);
    expect(log).toHaveLength(1 + own.length);
    expect(
      log
        .slice(1)
        .map((e) => e.message_id)
        .sort(),
    ).toEqual(own.map((m) => m.id).sort());
    for (const e of log.slice(1)) {
      const message = own.find((m) => m.id === e.message_id)!;
      expect(e.kind).toBe(expectedEventKind[message.kind]);
    }
    expect(row.version, `version of ${row.id}`).toBe(1 + log.length);
    expect(audits.filter((x) => x.target_id === row.id).map((x) => [x.type, x.n])).toEqual(
      expect.arrayContaining([['request.created', 1], ...(own.length ? [['request.updated', own.length]] : [])]),
    );
    expect(audits.filter((x) => x.target_id === row.id).reduce((n, x) => n + x.n, 0)).toBe(log.length);
    const lastAt = new Date(Math.max(...log.map((e) => new Date(e.at).getTime())));
    const due = deadlineState(await clockEventsOf(db, row.id), lastAt).dueAt;
    const stored = row.due_at === null ? null : new Date(row.due_at);
    expect(stored?.toISOString() ?? null, `due_at of ${row.id}`).toBe(due?.toISOString() ?? null);
  }
}
