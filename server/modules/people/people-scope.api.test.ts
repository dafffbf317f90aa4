import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../test/api-client.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { type LifecycleWorld, lifecycleWorld, withKey } from './lifecycle.fixtures.ts';

/**
 * No role reads a person file across its scope. A file held by contact point A: an agent of
 * contact point B (same territory) and the agent and coordinator of another territory can neither
 * find nor read it, nor its history, nor export, merge or erase it. A partner referent or manager
 * of the territory gets nothing from any people route: the requests module (next issue) will let
 * a referent see a person only through a request addressed to their organisation — until then
 * they have no access at all. Only coordinators export and erase.
 */

let t: TestApp;
let w: LifecycleWorld;
let held: string;
let heldB: string;
const nir = withKey('1900861123456');
const profile = { firstName: 'Rosalie', lastName: 'Cloisonnée', birthDate: '1990-08-14', phone: '0655443322', nir };

beforeAll(async () => {
  t = await createTestApp();
  w = await lifecycleWorld(t);
  held = await w.createPerson(w.clients.agentA, profile);
  heldB = await w.createPerson(w.clients.agentB, { firstName: 'Rosalinde', lastName: 'Cloisonnee', birthDate: '1990-08-14' }, w.cpB.id);
}, 120_000);
afterAll(() => t.close());

/** Every people route with the file of contact point A, as each outsider would try it. */
function attempts(base: string) {
  return [
    { what: 'search by name', method: 'GET', path: `${base}?q=Cloisonnée` },
    { what: 'search by birth date', method: 'GET', path: `${base}?birthDate=1990-08-14` },
    { what: 'search by phone', method: 'GET', path: `${base}?phone=0655443322` },
    { what: 'search by NIR', method: 'GET', path: `${base}?identifier=${nir}` },
    {
      what: 'duplicates',
      method: 'POST',
      path: `${base}/duplicates`,
      body: { firstName: 'Rosalie', lastName: 'Cloisonnée', birthDate: '1990-08-14', nir },
    },
    { what: 'read', method: 'GET', path: `${base}/${held}?screen=fiche` },
    { what: 'history', method: 'GET', path: `${base}/${held}/history` },
    { what: 'update', method: 'PATCH', path: `${base}/${held}`, body: { commune: 'Ailleurs' } },
    { what: 'reveal', method: 'POST', path: `${base}/${held}/reveal`, body: { field: 'nir' } },
    { what: 'export', method: 'GET', path: `${base}/${held}/export` },
    { what: 'merge into', method: 'POST', path: `${base}/${held}/merge`, body: { duplicateId: heldB } },
    { what: 'erase', method: 'POST', path: `${base}/${held}/erase`, body: { reason: 'Essai' } },
  ] as const;
}

/** Nothing of the file in the answer: denied outright, or an empty list. */
async function expectNothing(client: ApiClient, base: string, who: string) {
  for (const a of attempts(base)) {
    const res = await client.request(a.method, a.path, { body: 'body' in a ? a.body : undefined });
    const text = JSON.stringify(res.body);
    if (res.status === 200) {
      // Only lists may answer 200, and then without the file.
      expect(['search by name', 'search by birth date', 'search by phone', 'search by NIR', 'duplicates'], `${who}: ${a.what}`).toContain(
        a.what,
      );
      expect(text, `${who}: ${a.what}`).not.toContain(held);
    } else {
      expect([403, 404], `${who}: ${a.what} answered ${res.status} ${text}`).toContain(res.status);
    }
    expect(text, `${who}: ${a.what}`).not.toContain('Rosalie');
    expect(text, `${who}: ${a.what}`).not.toContain('0655443322');
  }
}

describe('who can reach a person file', { timeout: 120_000 }, () => {
  it('hides the file of contact point A from an agent of contact point B of the same territory', async () => {
    await expectNothing(w.clients.agentB, w.base, 'agent B');
  });

  it('hides it from the agent and the coordinator of another territory, through either territory’s path', async () => {
    const otherBase = `/api/territories/${w.other.id}/people`;
    for (const [who, client] of [
      ['other agent', w.clients.otherAgent],
      ['other coordinator', w.clients.otherCoordinator],
    ] as const) {
      await expectNothing(client, w.base, who);
      for (const a of attempts(otherBase).filter((x) => x.path.includes(held))) {
        const res = await client.request(a.method, a.path, { body: 'body' in a ? a.body : undefined });
        expect([403, 404], `${who}: ${a.what} via its own territory`).toContain(res.status);
      }
    }
  });

  it('gives a partner referent and a partner manager of the territory nothing from any people route (403)', async () => {
    for (const [who, client] of [
      ['referent', w.clients.referent],
      ['manager', w.clients.manager],
    ] as const) {
      for (const a of attempts(w.base)) {
        const res = await client.request(a.method, a.path, { body: 'body' in a ? a.body : undefined });
        expect(res.status, `${who}: ${a.what}`).toBe(403);
      }
    }
  });

  it('lets only coordinators export and erase: the agent holding the file gets 403', async () => {
    expect((await w.clients.agentA.get(`${w.base}/${held}/export`)).status).toBe(403);
    expect((await w.clients.agentA.post(`${w.base}/${held}/erase`, { reason: 'Essai' })).status).toBe(403);
    expect((await w.clients.agentA.get(`${w.base}/${held}`)).status).toBe(200);
    const exported = await w.clients.coordinator.get(`${w.base}/${held}/export`);
    expect(exported.status).toBe(200);
    expect(exported.body.person.firstName).toBe('Rosalie');
  });

  it('lets the holding agent find the file by name, birth date, phone and NIR (the other side of the same scope)', async () => {
    for (const a of attempts(w.base).filter((x) => x.what.startsWith('search'))) {
      const res = await w.clients.agentA.get(a.path);
      expect(res.status).toBe(200);
      expect(
        res.body.items.map((p: { id: string }) => p.id),
        a.what,
      ).toContain(held);
    }
  });
});
