import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { nirKey } from '../../platform/nir.ts';
import type { ApiClient } from '../../test/api-client.ts';
import { createContactPoint, createOrganisation, createTerritory, createUser } from '../../test/factories.ts';
import type { TestApp } from '../../test/test-app.ts';
import { requestAttachments } from '../requests/requests.schema.ts';
import { mandateDocuments, mandates, smsChallenges, smsMessages } from './people.schema.ts';

/** Test helpers for the people lifecycle: a territory with every role, files, visits and mandates. */

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

export const withKey = (body: string) => body + String(nirKey(body)).padStart(2, '0');

export async function lifecycleWorld(t: TestApp) {
  const db = t.ctx.db;
  const territory = await createTerritory(db);
  const other = await createTerritory(db);
  const tid = territory.id;
  const [cpA, cpB] = [await createContactPoint(db, tid), await createContactPoint(db, tid)];
  const cpOther = await createContactPoint(db, other.id);
  const org = await createOrganisation(db, tid);
  const member = (role: 'agent' | 'referent' | 'manager' | 'coordinator', displayName: string, where: object = {}, territoryId = tid) =>
    createUser(db, { displayName, memberships: [{ territoryId, role, ...where }] });
  const users = {
    agentA: await member('agent', 'Alice Agent', { contactPointId: cpA.id }),
    agentB: await member('agent', 'Bruno Agent', { contactPointId: cpB.id }),
    coordinator: await member('coordinator', 'Claire Coordinatrice'),
    referent: await member('referent', 'Rémi Référent', { organisationId: org.id }),
    manager: await member('manager', 'Maud Responsable', { organisationId: org.id }),
    otherAgent: await member('agent', 'Olga Ailleurs', { contactPointId: cpOther.id }, other.id),
    otherCoordinator: await member('coordinator', 'Oscar Ailleurs', {}, other.id),
  };
  // Signed in through the real endpoint, all at once (each sign-in checks a scrypt hash).
  const signedIn = await Promise.all(Object.entries(users).map(async ([name, user]) => [name, await t.signIn(user)] as const));
  const clients = Object.fromEntries(signedIn) as Record<keyof typeof users, ApiClient>;
  const base = `/api/territories/${tid}/people`;

  async function createPerson(client: ApiClient, body: Record<string, unknown>, contactPointId = cpA.id): Promise<string> {
    const res = await client.post(base, { contactPointId, confirmNotDuplicate: true, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  }
  async function logVisit(client: ApiClient, contactPointId: string, personId: string | null, extra: Record<string, unknown> = {}) {
    const res = await client.post(`/api/territories/${tid}/visits`, {
      contactPointId,
      channel: 'sur_place',
      organisationIds: [org.id],
      actions: ['information'],
      personId,
      idempotencyKey: randomUUID(),
      ...extra,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  }
  async function insertMandate(personId: string, input: Partial<typeof mandates.$inferInsert> = {}) {
    const now = t.ctx.clock.now();
    const [row] = await db
      .insert(mandates)
      .values({
        territoryId: tid,
        contactPointId: cpA.id,
        personId,
        scope: { organisationIds: [org.id], procedures: [], all: false },
        startsAt: now,
        endsAt: new Date(now.getTime() + 365 * 86_400_000),
        consentMethod: 'formulaire_signe',
        consentAt: now,
        consentReference: 'Formulaire n° 42',
        ...input,
      })
      .returning();
    return row!;
  }
  async function insertDocument(mandateId: string) {
    const [row] = await db
      .insert(mandateDocuments)
      .values({
        territoryId: tid,
        mandateId,
        fileName: 'mandat-signe.pdf',
        contentType: 'application/pdf',
        sizeBytes: 4,
        contentSealed: t.ctx.secretBox.seal(Buffer.from('%PDF').toString('base64')),
      })
      .returning();
    return row!;
  }
  /** An SMS code sent to the person's phone for a mandate, with its message. */
  async function insertSmsChallenge(personId: string, phone: string) {
    const [message] = await db
      .insert(smsMessages)
      .values({ territoryId: tid, toSealed: t.ctx.secretBox.seal(phone), body: 'Votre code Relais : 123456', purpose: 'mandate_consent' })
      .returning();
    const [challenge] = await db
      .insert(smsChallenges)
      .values({
        territoryId: tid,
        personId,
        contactPointId: cpA.id,
        purpose: 'mandate_consent',
        codeHash: 'x',
        expiresAt: new Date(t.ctx.clock.now().getTime() + 600_000),
        smsMessageId: message!.id,
      })
      .returning();
    return { message: message!, challenge: challenge! };
  }
  /**
   * A request (saisine) about the person from contact point A to the organisation, with a PDF and
   * the referent's answer (a message visible to the agent) and an internal note; left open.
   */
  async function sendRequest(personId: string, text: { subject: string; answer: string; note: string; fileName: string }) {
    const sent = await clients.agentA.post(`/api/territories/${tid}/requests`, {
      contactPointId: cpA.id,
      organisationId: org.id,
      personId,
      subject: text.subject,
      description: `${text.subject} : la personne attend depuis deux mois.`,
      identifiers: { caf_number: '9182736' },
      consent: { kind: 'consentement' },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const url = `/api/territories/${tid}/requests/${sent.body.id}`;
    const file = await clients.agentA.request('POST', `${url}/attachments`, {
      rawBody: PDF as unknown as string,
      headers: { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(text.fileName) },
    });
    expect(file.status, JSON.stringify(file.body)).toBe(201);
    const answer = await clients.referent.post(`${url}/messages`, { kind: 'reponse', body: text.answer });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect((await clients.referent.post(`${url}/messages`, { kind: 'note_interne', body: text.note })).status).toBe(201);
    const [attachment] = await db.select().from(requestAttachments).where(eq(requestAttachments.id, file.body.id));
    return { id: sent.body.id as string, reference: sent.body.reference as string, url, storageKey: attachment!.storageKey };
  }
  return {
    sendRequest,
    tid,
    territory,
    other,
    cpA,
    cpB,
    cpOther,
    org,
    users,
    clients,
    base,
    createPerson,
    logVisit,
    insertMandate,
    insertDocument,
    insertSmsChallenge,
  };
}
export type LifecycleWorld = Awaited<ReturnType<typeof lifecycleWorld>>;
