import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTerritory, createUser } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** Signs a coordinator in, so that the journal holds a real event, and returns its id. */
async function aRecordedSignIn() {
  const territory = await createTerritory(t.ctx.db);
  const user = await createUser(t.ctx.db, { memberships: [{ territoryId: territory.id, role: 'coordinator' }] });
  await t.signIn(user);
  const { rows } = await t.ctx.database.pool.query<{ id: string; type: string }>('SELECT id, type FROM audit_events WHERE target_id = $1', [
    user.id,
  ]);
  expect(rows).toEqual([expect.objectContaining({ type: 'auth.sign_in' })]);
  return { id: rows[0]!.id, user };
}

/**
 * Runs raw SQL on a client of the app's pool and returns the database's refusal. A checked-out
 * client, not pool.query: on PGlite, pool.query drops the client on error and the shared bridge
 * connection then answers the next queries out of step (reported separately).
 */
const refusal = async (sql: string, params: unknown[] = []) => {
  const client = await t.ctx.database.pool.connect();
  try {
    await client.query(sql, params);
    return null;
  } catch (error) {
    return error as { code?: string; message: string };
  } finally {
    client.release();
  }
};

const refused = async (sql: string, params: unknown[] = []) => {
  const error = await refusal(sql, params);
  expect(error, sql).not.toBeNull();
  return error!;
};

describe('the audit journal is append-only', () => {
  it('refuses UPDATE of an entry in the database itself', async () => {
    const { id } = await aRecordedSignIn();
    const error = await refused("UPDATE audit_events SET type = 'auth.sign_out' WHERE id = $1", [id]);
    expect(error.code).toBe('42501');
    expect(error.message).toContain('append-only');
    const { rows } = await t.ctx.database.pool.query('SELECT type FROM audit_events WHERE id = $1', [id]);
    expect(rows).toEqual([{ type: 'auth.sign_in' }]);
  });

  it('refuses DELETE and TRUNCATE, and the entry is still there', async () => {
    const { id } = await aRecordedSignIn();
    expect((await refused('DELETE FROM audit_events WHERE id = $1', [id])).code).toBe('42501');
    expect((await refused('DELETE FROM audit_events')).code).toBe('42501');
    expect((await refused('TRUNCATE audit_events')).code).toBe('42501');
    const { rows } = await t.ctx.database.pool.query('SELECT count(*)::int AS n FROM audit_events WHERE id = $1', [id]);
    expect(rows[0].n).toBe(1);
  });

  it('refuses a change inside a transaction too, and the pool keeps working afterwards', async () => {
    const { id } = await aRecordedSignIn();
    await expect(
      t.ctx.db.transaction(async (tx) => {
        await tx.execute(`UPDATE audit_events SET data = '{}'::jsonb WHERE id = ${Number(id)}`);
      }),
    ).rejects.toThrow();
    const { rows } = await t.ctx.database.pool.query('SELECT 1 AS ok');
    expect(rows).toEqual([{ ok: 1 }]);
  });

  it('lets an erasure transaction blank the data of an entry, and nothing else, once it says so', async () => {
    const { id } = await aRecordedSignIn();
    await t.ctx.db.transaction(async (tx) => {
      await tx.execute("SELECT set_config('relais.audit_redaction', 'on', true)");
      await tx.execute(`UPDATE audit_events SET data = '{"redacted":true}'::jsonb WHERE id = ${Number(id)}`);
    });
    const { rows } = await t.ctx.database.pool.query('SELECT type, data FROM audit_events WHERE id = $1', [id]);
    expect(rows).toEqual([{ type: 'auth.sign_in', data: { redacted: true } }]);
    await expect(
      t.ctx.db.transaction(async (tx) => {
        await tx.execute("SELECT set_config('relais.audit_redaction', 'on', true)");
        await tx.execute(`UPDATE audit_events SET type = 'auth.sign_out' WHERE id = ${Number(id)}`);
      }),
    ).rejects.toThrow();
    // The setting is local to its transaction: the next one is refused again.
    expect((await refused(`UPDATE audit_events SET data = '{}'::jsonb WHERE id = $1`, [id])).code).toBe('42501');
  });

  it('offers no API route that could change or remove an entry', async () => {
    const doc = (await t.client().get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const auditPaths = Object.entries(doc.paths).filter(([path]) => path.includes('audit'));
    expect(auditPaths.length).toBeGreaterThan(0);
    for (const [path, operations] of auditPaths) expect(Object.keys(operations), path).toEqual(['get']);
  });
});
