import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions } from '../modules/accounts/accounts.schema.ts';
import { nirHashWithKey } from '../modules/people/identifiers.ts';
import { people, smsMessages } from '../modules/people/people.schema.ts';
import { requestAttachments, requests } from '../modules/requests/requests.schema.ts';
import { createSecretBox } from '../platform/crypto.ts';
import { createFileStore } from '../platform/files/store.ts';
import { nirKey } from '../platform/nir.ts';
import { createContactPoint, createOrganisation, createTerritory, createUser } from '../test/factories.ts';
import { createTestApp, type TestApp } from '../test/test-app.ts';
import { KeyRotationError, rotateSecretKey, sealedColumns } from './rotate-key.ts';

const oldKey = randomBytes(32);
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { SECRET_KEY: oldKey.toString('base64') } });
});
afterAll(() => t.close());

const nir = (body: string) => body + String(nirKey(body)).padStart(2, '0');
const opens = (key: Buffer, sealed: string) => {
  try {
    return createSecretBox(key).open(sealed);
  } catch {
    return null;
  }
};

/** A person file created through the API (NIR and CAF number sealed), an SMS and an OIDC session token sealed as the app does. */
async function sealedWorld() {
  const db = t.ctx.db;
  const territory = await createTerritory(db);
  const cp = await createContactPoint(db, territory.id);
  const agent = await createUser(db, { memberships: [{ territoryId: territory.id, role: 'agent', contactPointId: cp.id }] });
  const client = await t.signIn(agent);
  const number = nir('2790375123456');
  const res = await client.post(`/api/territories/${territory.id}/people`, {
    firstName: 'Odette',
    lastName: 'Lebrun',
    nir: number,
    cafNumber: '7350921',
    contactPointId: cp.id,
  });
  expect(res.status).toBe(201);
  const [sms] = await db
    .insert(smsMessages)
    .values({ territoryId: territory.id, toSealed: t.ctx.secretBox.seal('0612345678'), body: 'code', purpose: 'test' })
    .returning();
  const [session] = await db.select().from(sessions).where(eq(sessions.userId, agent.id));
  await db
    .update(sessions)
    .set({ oidcIdToken: t.ctx.secretBox.seal('id-token') })
    .where(eq(sessions.id, session!.id));
  return { personId: res.body.id as string, number, smsId: sms!.id, sessionId: session!.id };
}

async function sealedValues(w: Awaited<ReturnType<typeof sealedWorld>>) {
  const [p] = await t.ctx.db.select().from(people).where(eq(people.id, w.personId));
  const [s] = await t.ctx.db.select().from(smsMessages).where(eq(smsMessages.id, w.smsId));
  const [session] = await t.ctx.db.select().from(sessions).where(eq(sessions.id, w.sessionId));
  return { nir: p!.nirSealed!, nirHash: p!.nirHash!, caf: p!.cafNumberSealed!, sms: s!.toSealed, oidc: session!.oidcIdToken! };
}

describe('rotating the secret key', () => {
  it('re-seals every identifier and secret with the new key and recomputes the NIR index; the old key opens nothing any more', async () => {
    const w = await sealedWorld();
    const newKey = randomBytes(32);
    const report = await rotateSecretKey(t.ctx.db, oldKey, newKey);
    expect(report.values).toBeGreaterThanOrEqual(4);
    const v = await sealedValues(w);
    expect(opens(newKey, v.nir)).toBe(w.number);
    expect(opens(newKey, v.caf)).toBe('7350921');
    expect(opens(newKey, v.sms)).toBe('0612345678');
    expect(opens(newKey, v.oidc)).toBe('id-token');
    for (const sealed of [v.nir, v.caf, v.sms, v.oidc]) expect(opens(oldKey, sealed)).toBeNull();
    expect(v.nirHash).toBe(nirHashWithKey(newKey, w.number));
    expect(v.nirHash).not.toBe(nirHashWithKey(oldKey, w.number));
    const { rows } = await t.ctx.database.pool.query(
      "SELECT data FROM audit_events WHERE type = 'security.key_rotated' ORDER BY id DESC LIMIT 1",
    );
    expect(rows[0].data.values).toBe(report.values);
    // Back to the old key for the next tests, which share the database.
    await rotateSecretKey(t.ctx.db, newKey, oldKey);
  });

  it('resumes an interrupted rotation: a value already re-sealed with the new key is left as it is', async () => {
    const w = await sealedWorld();
    const newKey = randomBytes(32);
    // As if an earlier run had re-sealed this person's CAF number and then stopped.
    await t.ctx.db
      .update(people)
      .set({ cafNumberSealed: createSecretBox(newKey).seal('7350921') })
      .where(eq(people.id, w.personId));
    const report = await rotateSecretKey(t.ctx.db, oldKey, newKey);
    expect(report.alreadyRotated).toBe(1);
    const v = await sealedValues(w);
    expect(opens(newKey, v.caf)).toBe('7350921');
    expect(opens(newKey, v.nir)).toBe(w.number);
    await rotateSecretKey(t.ctx.db, newKey, oldKey);
  });

  it('stops on a wrong old key with a clear message, and the batch it was in is not written', async () => {
    const w = await sealedWorld();
    const before = await sealedValues(w);
    const error = await rotateSecretKey(t.ctx.db, randomBytes(32), randomBytes(32)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyRotationError);
    expect((error as Error).message).toMatch(/ne s’ouvre ni avec l’ancienne clé ni avec la nouvelle/);
    expect(await sealedValues(w)).toEqual(before);
    expect(opens(oldKey, before.nir)).toBe(w.number);
  });

  it('re-encrypts the attachment files kept, skips deleted ones, and resumes where an interrupted run stopped', async () => {
    const db = t.ctx.db;
    const territory = await createTerritory(db);
    const cp = await createContactPoint(db, territory.id);
    const organisation = await createOrganisation(db, territory.id);
    const [request] = await db
      .insert(requests)
      .values({
        territoryId: territory.id,
        reference: `RLS-TEST-${randomUUID()}`,
        statusCodeHash: 'x',
        contactPointId: cp.id,
        organisationId: organisation.id,
        subject: 'Dossier CAF',
        description: 'Pièces jointes',
        status: 'envoyee',
        firstAnswerDays: 4,
        followUpDays: 4,
      })
      .returning();
    const files = { fileStorage: { kind: 'filesystem' as const, dir: mkdtempSync(join(tmpdir(), 'relais-rotate-files-')) } };
    const [kept, deleted, missing] = [randomUUID(), randomUUID(), randomUUID()];
    const attachment = (storageKey: string, deletedAt: Date | null) => ({
      requestId: request!.id,
      territoryId: territory.id,
      fileName: 'avis.pdf',
      contentType: 'application/pdf',
      sizeBytes: 10,
      sha256: 'x',
      storageKey,
      side: 'contact_point',
      deletedAt,
    });
    await db.insert(requestAttachments).values([attachment(kept, null), attachment(deleted, new Date()), attachment(missing, null)]);
    await createFileStore(files, oldKey).put(kept, Buffer.from('%PDF-1.4 avis'));
    await createFileStore(files, oldKey).put(deleted, Buffer.from('%PDF-1.4 ancien'));
    const newKey = randomBytes(32);
    try {
      const report = await rotateSecretKey(db, oldKey, newKey, () => {}, files);
      expect(report.files.rotated).toBe(1);
      expect(report.files.missing).toBeGreaterThanOrEqual(1);
      expect((await createFileStore(files, newKey).get(kept)).toString()).toBe('%PDF-1.4 avis');
      await expect(createFileStore(files, oldKey).get(kept)).rejects.toMatchObject({ code: 'ATTACHMENT_UNREADABLE' });
      expect((await createFileStore(files, oldKey).get(deleted)).toString()).toBe('%PDF-1.4 ancien');
      const again = await rotateSecretKey(db, oldKey, newKey, () => {}, files);
      expect(again.files).toMatchObject({ rotated: 0, alreadyRotated: 1 });
      const { rows } = await t.ctx.database.pool.query(
        "SELECT data FROM audit_events WHERE type = 'security.key_rotated' ORDER BY id DESC LIMIT 1",
      );
      expect(rows[0].data.files).toEqual(again.files);
    } finally {
      await rotateSecretKey(db, newKey, oldKey, () => {}, files);
      rmSync(files.fileStorage.dir, { recursive: true, force: true });
    }
  });

  it('refuses a new key equal to the old one', async () => {
    await expect(rotateSecretKey(t.ctx.db, oldKey, Buffer.from(oldKey))).rejects.toThrow(/identique/);
  });

  it('knows every sealed column of the schema', async () => {
    const { rows } = await t.ctx.db.execute<{ table_name: string; column_name: string }>(
      sql`SELECT table_name, column_name FROM information_schema.columns
          WHERE table_schema = 'public' AND (column_name LIKE '%\\_sealed' OR column_name = 'oidc_id_token')`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const { table_name, column_name } of rows)
      expect(sealedColumns[table_name], `${table_name}.${column_name}`).toContain(column_name);
  });
});
