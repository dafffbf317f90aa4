import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { ApiClient } from '../../test/api-client.ts';
import { createContactPoint, createOrganisation, createTerritory, createUser } from '../../test/factories.ts';
import type { TestApp } from '../../test/test-app.ts';

/** A territory with two contact points, the CAF and the CPAM, their people signed in, and a person file at contact point A. */
export async function requestWorld(t: TestApp) {
  const db = t.ctx.db;
  const territory = await createTerritory(db);
  const other = await createTerritory(db);
  const tid = territory.id;
  const [cpA, cpB] = [await createContactPoint(db, tid), await createContactPoint(db, tid)];
  const caf = await createOrganisation(db, tid, { acronym: `CAF-${randomUUID().slice(0, 4)}`, name: 'CAF de l’Orne' });
  const cpam = await createOrganisation(db, tid, { acronym: `CPAM-${randomUUID().slice(0, 4)}`, name: 'CPAM de l’Orne' });
  const user = (
    role: 'agent' | 'referent' | 'manager' | 'coordinator',
    where: { contactPointId?: string; organisationId?: string } = {},
    territoryId = tid,
  ) => createUser(db, { memberships: [{ territoryId, role, ...where }] });
  const users = {
    agentA: await user('agent', { contactPointId: cpA.id }),
    agentB: await user('agent', { contactPointId: cpB.id }),
    referent1: await user('referent', { organisationId: caf.id }),
    referent2: await user('referent', { organisationId: caf.id }),
    manager: await user('manager', { organisationId: caf.id }),
    cpamReferent: await user('referent', { organisationId: cpam.id }),
    coordinator: await user('coordinator'),
    otherCoordinator: await user('coordinator', {}, other.id),
  };
  const c = {} as Record<keyof typeof users, ApiClient>;
  for (const [k, u] of Object.entries(users)) c[k as keyof typeof users] = await t.signIn(u);
  const person = await c.agentA.post(`/api/territories/${tid}/people`, {
    firstName: 'Josiane',
    lastName: `Saisine ${randomUUID().slice(0, 6)}`,
    birthDate: '1958-04-12',
    phone: '06 11 22 33 44',
    cafNumber: '1234567',
    contactPointId: cpA.id,
    confirmNotDuplicate: true,
  });
  expect(person.status).toBe(201);
  const base = `/api/territories/${tid}/requests`;
  const inboxUrl = (orgId = caf.id) => `/api/territories/${tid}/organisations/${orgId}/inbox`;
  const send = (client = c.agentA, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    client.post(
      base,
      {
        organisationId: caf.id,
        personId: person.body.id,
        subject: 'Prime d’activité suspendue',
        description: 'Madame a reçu un courrier de suspension ; elle a envoyé ses justificatifs le 2 novembre.',
        consent: { kind: 'consentement' },
        ...extra,
      },
      headers,
    );
  return { tid, other, cpA, cpB, caf, cpam, users, c, personId: person.body.id as string, base, inboxUrl, send };
}
export type World = Awaited<ReturnType<typeof requestWorld>>;
