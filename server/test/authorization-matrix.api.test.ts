import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateRequestBody } from '../../contracts/requests.ts';
import { apiTokens } from '../modules/accounts/accounts.schema.ts';
import { loadMemberships, openSession } from '../modules/accounts/sessions.service.ts';
import { kbProposals } from '../modules/knowledge/knowledge.schema.ts';
import { insertSheet as insertKbSheet } from '../modules/knowledge/sheets.service.ts';
import { busStops, networkImports, partnerReferents } from '../modules/network/network.schema.ts';
import { surveyLinks } from '../modules/observatory/observatory.schema.ts';
import { mandateDocuments, mandates, people, personConsents, personContactPoints } from '../modules/people/people.schema.ts';
import { uploadAttachment } from '../modules/requests/attachments.service.ts';
import { webhookDeliveries, webhooks } from '../modules/requests/requests.schema.ts';
import { closeRequest, createRequest, postMessage } from '../modules/requests/requests.service.ts';
import { reportingGroups, territoryThemes, visits } from '../modules/visits/visits.schema.ts';
import type { Actor } from '../platform/authorize.ts';
import { newSecretToken } from '../platform/crypto.ts';
import type { ApiClient } from './api-client.ts';
import { createContactPoint, createOrganisation, createTerritory, createUser } from './factories.ts';
import { createTestApp, type TestApp } from './test-app.ts';

/**
 * Deny by default, proven route by route. Two territories are built the same way; the actors all
 * belong to T1 (except the platform administrator and a user without any membership). Every
 * operation of the OpenAPI document must have at least one row below; each row is played:
 * - on T1 ("own"): each actor must get exactly the status of the row;
 * - on T2 ("foreign"): no actor but the administrator may succeed (403 or 404, never 2xx);
 * - when the row names sub-resources, with T1 in the path and T2's resources ("mixed"): nobody succeeds.
 * A refused write must leave every application table exactly as it was.
 */

type World = Awaited<ReturnType<typeof buildWorld>>;
const ACTORS = ['agentA', 'referentX', 'managerX', 'coordinator', 'admin', 'nobody', 'tokenX', 'anonymous'] as const;
type ActorName = (typeof ACTORS)[number];
type UserActorName = Exclude<ActorName, 'tokenX' | 'anonymous'>;
type Expect = Record<ActorName, number>;

interface Scene {
  /** The territory in the path. */
  at: World;
  /** The world the resources named in the request come from. */
  w: World;
  actor: ActorName;
}
interface Req {
  path: string;
  body?: unknown;
  /** A body sent as is (a file), with its `headers`. */
  rawBody?: Buffer;
  headers?: Record<string, string>;
  /** Another signed-in client of the same actor, for calls that end the session. */
  as?: ApiClient;
}
interface Row {
  op: string;
  name: string;
  send: (s: Scene) => Promise<Req> | Req;
  expect: Expect;
  /** The request names resources besides the territory: also play it with T2's resources under T1's path. */
  mixed?: boolean;
  /** What the actor sees, for lists whose content is scoped. */
  check?: (s: Scene, body: unknown) => void;
}

const everyone = (status: number): Expect => Object.fromEntries(ACTORS.map((a) => [a, status])) as Expect;
/** Any signed-in person gets `status`; an API token is refused (user route), anonymous callers get 401. */
const users = (status: number): Expect => ({ ...everyone(status), tokenX: 403, anonymous: 401 });
/** Only the listed actors get their status; every other person gets 403. */
const only = (allowed: Partial<Record<UserActorName, number>>): Expect => ({ ...users(403), ...allowed });
const members = (status: number): Expect =>
  only({ agentA: status, referentX: status, managerX: status, coordinator: status, admin: status });
const fresh = () => randomUUID().slice(0, 8);
const ids = (body: unknown) => (body as { id: string }[]).map((r) => r.id);

let t: TestApp;
let T1: World;
let T2: World;
let admin: Awaited<ReturnType<typeof createUser>>;
let nobody: Awaited<ReturnType<typeof createUser>>;
const clients = {} as Record<ActorName, ApiClient>;
let bearerX: string;

async function buildWorld(app: TestApp, label: string) {
  const db = app.ctx.db;
  const territory = await createTerritory(db, { name: `Territoire ${label} ${fresh()}` });
  const tid = territory.id;
  const [cpA, cpB] = [await createContactPoint(db, tid), await createContactPoint(db, tid)];
  const [orgX, orgY] = [await createOrganisation(db, tid), await createOrganisation(db, tid)];
  const person = (
    role: 'agent' | 'referent' | 'manager' | 'coordinator',
    where: { contactPointId?: string; organisationId?: string } = {},
  ) => createUser(db, { displayName: `${role} ${label}`, memberships: [{ territoryId: tid, role, ...where }] });
  const agentA = await person('agent', { contactPointId: cpA.id });
  const agentB = await person('agent', { contactPointId: cpB.id });
  const referentX = await person('referent', { organisationId: orgX.id });
  const referentY = await person('referent', { organisationId: orgY.id });
  const managerX = await person('manager', { organisationId: orgX.id });
  const managerY = await person('manager', { organisationId: orgY.id });
  const coordinator = await person('coordinator');
  const [tokenX, tokenY] = [
    await insertApiToken(app, tid, orgX.id, coordinator.id),
    await insertApiToken(app, tid, orgY.id, coordinator.id),
  ];
  return { territory, cpA, cpB, orgX, orgY, agentA, agentB, referentX, referentY, managerX, managerY, coordinator, tokenX, tokenY };
}

async function insertApiToken(app: TestApp, territoryId: string, organisationId: string, createdBy: string) {
  const { token, hash } = newSecretToken('rls_');
  const [row] = await app.ctx.db
    .insert(apiTokens)
    .values({
      territoryId,
      organisationId,
      createdBy,
      name: `Jeton ${fresh()}`,
      prefix: token.slice(0, 10),
      tokenHash: hash,
      expiresAt: new Date(Date.now() + 30 * 86_400_000),
    })
    .returning();
  return { id: row!.id, token };
}

/** Who manages organisation X's webhooks: its manager, its system's token, the coordinators, the administrator. */
const webhookManagers = (status: number): Expect => ({ ...only({ managerX: status, coordinator: status, admin: status }), tokenX: status });
/** A webhook of `w` (its address, loopback, is refused at delivery here: nothing leaves the machine). */
async function insertWebhook(w: World, org: 'orgX' | 'orgY') {
  const [row] = await t.ctx.db
    .insert(webhooks)
    .values({
      territoryId: w.territory.id,
      organisationId: w[org].id,
      url: 'https://127.0.0.1:9/relais',
      secretSealed: t.ctx.secretBox.seal('whsec_matrice'),
      events: ['request.status_changed'],
    })
    .returning();
  return row!.id;
}
async function insertDelivery(w: World, webhookId: string) {
  const [row] = await t.ctx.db
    .insert(webhookDeliveries)
    .values({ webhookId, territoryId: w.territory.id, eventType: 'request.status_changed', payload: { id: randomUUID() }, status: 'echec' })
    .returning();
  return row!.id;
}
/** A webhook's path under `at`'s territory and `w`'s organisation X. */
const webhookPath = (at: World, w: World, id: string) => `${T}/${at.territory.id}/organisations/${w.orgX.id}/webhooks/${id}`;

/** A user with one membership in `w`, for revocation and reactivation. */
const memberOf = (
  w: World,
  spec: { role: 'agent' | 'referent' | 'manager' | 'coordinator'; contactPointId?: string; organisationId?: string },
  status: 'active' | 'deactivated' = 'active',
) => createUser(t.ctx.db, { status, memberships: [{ territoryId: w.territory.id, ...spec }] });
const membershipIdOf = async (user: { id: string }) =>
  (await t.ctx.database.pool.query<{ id: string }>('SELECT id FROM memberships WHERE user_id = $1', [user.id])).rows[0]!.id;
const userOf = (actor: ActorName) =>
  ({ agentA: T1.agentA, referentX: T1.referentX, managerX: T1.managerX, coordinator: T1.coordinator, admin, nobody })[
    actor as UserActorName
  ] ?? T1.coordinator;
const isUser = (actor: ActorName): actor is UserActorName => actor !== 'tokenX' && actor !== 'anonymous';

const T = '/api/territories';
const invite = (role: string, where: Record<string, string> = {}) => ({
  email: `invite-${fresh()}@exemple.fr`,
  displayName: 'Personne Invitée',
  role,
  ...where,
});

/** A one-row ANCT file for the territory's department (61), each time a new place. */
const importBody = () => {
  const id = fresh();
  return {
    fileName: 'france-services.csv',
    format: 'anct_csv',
    content: `MATRICULE,DEPARTEMENT,lib_france_services,lib_com\nM-${id},61,France Services ${id},Bellême\n`,
  };
};
/** A finished import of `w` (a dry run, which can be applied, or a real one). */
async function insertImport(w: World, dryRun: boolean) {
  const [row] = await t.ctx.db
    .insert(networkImports)
    .values({
      territoryId: w.territory.id,
      format: 'anct_csv',
      fileName: 'f.csv',
      dryRun,
      status: 'done',
      content: dryRun ? importBody().content : null,
      total: 1,
      processed: 1,
    })
    .returning();
  return row!.id;
}

/** A referent of organisation X or Y of `w` (a new one each time: some rows delete it). */
async function insertReferent(w: World, org: 'orgX' | 'orgY') {
  const [row] = await t.ctx.db
    .insert(partnerReferents)
    .values({ territoryId: w.territory.id, organisationId: w[org].id, fullName: `Référent ${fresh()}` })
    .returning();
  return row!.id;
}
/** The bus of `w` (created once per world): bus stops belong to buses and antennas only. */
const buses = new Map<string, Promise<{ id: string }>>();
const busOf = (w: World) => {
  let bus = buses.get(w.territory.id);
  if (!bus) {
    bus = createContactPoint(t.ctx.db, w.territory.id, { kind: 'bus', name: `Bus ${fresh()}` });
    buses.set(w.territory.id, bus);
  }
  return bus;
};
async function insertBusStop(w: World) {
  const [row] = await t.ctx.db
    .insert(busStops)
    .values({
      territoryId: w.territory.id,
      contactPointId: (await busOf(w)).id,
      commune: 'Bellême',
      inseeCode: '61038',
      place: 'Place de la République',
      startsAt: new Date('2030-06-05T07:00:00Z'),
      endsAt: new Date('2030-06-05T10:00:00Z'),
    })
    .returning();
  return row!.id;
}
const busStopBody = {
  commune: 'Bellême',
  inseeCode: '61038',
  place: 'Place de la République',
  date: '2030-06-05',
  startTime: '09:00',
  endTime: '12:00',
};

/** A person file held by contact point A of `w`, with a sealed NIR (one per world). */
const personFiles = new Map<string, Promise<string>>();
const personFileOf = (w: World) => {
  let id = personFiles.get(w.territory.id);
  if (!id) {
    id = (async () => {
      const [p] = await t.ctx.db
        .insert(people)
        .values({
          territoryId: w.territory.id,
          firstName: 'Dossier',
          lastName: 'Matrice',
          searchName: 'dossier matrice',
          nirSealed: t.ctx.secretBox.seal('185057800608436'),
        })
        .returning();
      await t.ctx.db.insert(personContactPoints).values({ territoryId: w.territory.id, personId: p!.id, contactPointId: w.cpA.id });
      return p!.id;
    })();
    personFiles.set(w.territory.id, id);
  }
  return id;
};
/** A new person file held by contact point A of `w` (merge and erasure consume theirs). */
async function newPersonFile(w: World) {
  const [p] = await t.ctx.db
    .insert(people)
    .values({ territoryId: w.territory.id, firstName: 'Dossier', lastName: `Jetable ${fresh()}`, searchName: 'dossier jetable' })
    .returning();
  await t.ctx.db.insert(personContactPoints).values({ territoryId: w.territory.id, personId: p!.id, contactPointId: w.cpA.id });
  return p!.id;
}
const consentOf = async (w: World) => {
  const personId = await personFileOf(w);
  const [c] = await t.ctx.db
    .insert(personConsents)
    .values({ territoryId: w.territory.id, personId, organisationId: w.orgX.id, givenAt: new Date(), how: 'oral' })
    .returning();
  return { personId, consentId: c!.id };
};

/** A mandate held by contact point A of `w` on its person file (a new one each time: some rows revoke it), with its signed form. */
async function insertMandate(w: World) {
  const personId = await personFileOf(w);
  const [m] = await t.ctx.db
    .insert(mandates)
    .values({
      territoryId: w.territory.id,
      contactPointId: w.cpA.id,
      personId,
      scope: { all: true, organisationIds: [], procedures: [] },
      startsAt: new Date(),
      endsAt: new Date(Date.now() + 30 * 86_400_000),
      consentMethod: 'formulaire_signe',
      consentAt: new Date(),
    })
    .returning();
  await t.ctx.db.insert(mandateDocuments).values({
    territoryId: w.territory.id,
    mandateId: m!.id,
    fileName: 'mandat.pdf',
    contentType: 'application/pdf',
    sizeBytes: 9,
    contentSealed: t.ctx.secretBox.seal(Buffer.from('%PDF-1.7\n').toString('base64')),
  });
  return { personId, mandateId: m!.id, path: `${T}/${w.territory.id}/people/${personId}/mandates/${m!.id}` };
}
const mandatePath = async (at: World, w: World) => {
  const { personId, mandateId } = await insertMandate(w);
  return `${T}/${at.territory.id}/people/${personId}/mandates/${mandateId}`;
};

/** A territory theme, a reporting group and a visit logged by agent A at contact point A of `w` (new ones each time). */
async function insertTheme(w: World) {
  const [row] = await t.ctx.db
    .insert(territoryThemes)
    .values({ territoryId: w.territory.id, code: `theme-${fresh()}`, label: 'Thème local' })
    .returning();
  return row!.id;
}
async function insertGroup(w: World) {
  const [row] = await t.ctx.db
    .insert(reportingGroups)
    .values({ territoryId: w.territory.id, code: `groupe-${fresh()}`, label: 'Groupe' })
    .returning();
  return row!.id;
}
async function insertVisit(w: World) {
  const [row] = await t.ctx.db
    .insert(visits)
    .values({
      territoryId: w.territory.id,
      contactPointId: w.cpA.id,
      agentUserId: w.agentA.id,
      occurredAt: new Date(),
      channel: 'sur_place',
    })
    .returning();
  return row!.id;
}

/**
 * Requests (saisines). Each row that acts on a request sends a new one (contact point A of `w`
 * to organisation X, about a person file held by A), brought to the state the action needs
 * through the services themselves, so the log, the deadline and the status agree as in real use.
 */
const actors = new Map<string, Promise<Actor>>();
const actorOfUser = (user: { id: string }) => {
  let actor = actors.get(user.id);
  if (!actor) {
    actor = (async () => ({
      kind: 'user' as const,
      userId: user.id,
      sessionId: randomUUID(),
      isPlatformAdmin: false,
      memberships: await loadMemberships(t.ctx.db, user.id),
    }))();
    actors.set(user.id, actor);
  }
  return actor;
};
const setupAudit = { ip: '127.0.0.1', requestId: null };
/** A person file held by contact point A of `w`, with a phone for the SMS receipt (one per world). */
const requestPeople = new Map<string, Promise<string>>();
const requestPersonOf = (w: World) => {
  let id = requestPeople.get(w.territory.id);
  if (!id) {
    id = (async () => {
      const [p] = await t.ctx.db
        .insert(people)
        .values({
          territoryId: w.territory.id,
          firstName: 'Usager',
          lastName: 'Saisine',
          searchName: 'usager saisine',
          phone: '06 12 34 56 78',
        })
        .returning();
      await t.ctx.db.insert(personContactPoints).values({ territoryId: w.territory.id, personId: p!.id, contactPointId: w.cpA.id });
      return p!.id;
    })();
    requestPeople.set(w.territory.id, id);
  }
  return id;
};
const requestBody = async (w: World, organisationId = w.orgX.id) => ({
  organisationId,
  personId: await requestPersonOf(w),
  subject: 'Prime d’activité suspendue',
  description: 'Madame a envoyé ses justificatifs le 2 novembre et n’a pas de nouvelles.',
  consent: { kind: 'consentement' },
});
type RequestState = 'envoyee' | 'repondue' | 'cloturee';
/**
 * A new request of `w`: from contact point A to organisation X (or from B to Y), sent by their
 * agent; `repondue` once X's referent answered; `cloturee` once answered and closed by the agent.
 */
async function insertRequest(w: World, state: RequestState = 'envoyee', from: 'A' | 'B' = 'A') {
  const [agent, referent] = from === 'A' ? [w.agentA, w.referentX] : [w.agentB, w.referentY];
  const agentActor = await actorOfUser(agent);
  const body = from === 'A' ? await requestBody(w) : { organisationId: w.orgY.id, subject: 'Question', description: 'Sans dossier.' };
  const idem = { scope: `user:${agent.id}`, key: undefined };
  const created = await createRequest(t.ctx, agentActor, w.territory.id, CreateRequestBody.parse(body), idem, setupAudit);
  const { id, reference, statusCode } = created.view;
  if (state !== 'envoyee') {
    const answer = { kind: 'reponse' as const, body: 'Le dossier est réglé.', attachmentIds: [] };
    await postMessage(
      t.ctx,
      await actorOfUser(referent),
      w.territory.id,
      id,
      answer,
      { scope: `user:${referent.id}`, key: undefined },
      setupAudit,
    );
  }
  if (state === 'cloturee') await closeRequest(t.ctx, agentActor, w.territory.id, id, 'Réglé', setupAudit);
  return { id, reference, statusCode };
}
/** The path of a new request of `w` under `at`'s territory. */
const requestPath = async (at: World, w: World, state?: RequestState, from?: 'A' | 'B') =>
  `${T}/${at.territory.id}/requests/${(await insertRequest(w, state, from)).id}`;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const pdfUpload = {
  rawBody: PDF,
  headers: { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent('avis d’impôt.pdf') },
};
/** A file the agent joined to a new request of `w`, or one the referent joined to an internal note. */
async function insertAttachment(w: World, on: 'agent' | 'internal_note' = 'agent') {
  const { id: requestId } = await insertRequest(w);
  const user = on === 'agent' ? w.agentA : w.referentX;
  const actor = await actorOfUser(user);
  const file = await uploadAttachment(t.ctx, actor, w.territory.id, requestId, { fileName: 'piece.pdf', bytes: PDF }, setupAudit);
  if (on === 'internal_note') {
    const note = { kind: 'note_interne' as const, body: 'Vu avec le service.', attachmentIds: [file.id] };
    await postMessage(t.ctx, actor, w.territory.id, requestId, note, { scope: `user:${user.id}`, key: undefined }, setupAudit);
  }
  return { requestId, attachmentId: file.id };
}
/**
 * On a request from contact point A to organisation X: its parties (agent A's side, X's referent
 * and manager, the coordination) get 403 unless listed; anyone else gets 404 — a non-party does not
 * learn that it exists. An API token is refused on these user routes (it has its partner API).
 */
const parties = (allowed: Partial<Record<UserActorName, number>>): Expect => ({
  ...users(404),
  agentA: 403,
  referentX: 403,
  managerX: 403,
  coordinator: 403,
  ...allowed,
});
/** The partner API: only organisation X's token; people are refused, anonymous callers get 401. */
const partnerApi = (status: number): Expect => ({ ...everyone(403), tokenX: status, anonymous: 401 });
/** A sheet of `w` owned by its organisation X, Y or the network, published or draft. */
async function insertSheet(w: World, owner: 'orgX' | 'orgY' | null = 'orgX', status: 'publiee' | 'brouillon' = 'publiee') {
  const content = {
    title: `Fiche ${fresh()}`,
    summary: 'Résumé',
    organisationId: owner ? w[owner].id : null,
    themes: ['famille'],
    keywords: ['allocation'],
    sections: { audience: '', prepare: '', steps: '1. Faire la demande en ligne', links: '', pitfalls: '', escalate: '' },
  };
  return t.ctx.db.transaction((tx) => insertKbSheet(tx, w.territory.id, content, status, { userId: null }, new Date()));
}
async function insertProposal(w: World) {
  const sheet = await insertSheet(w);
  const [row] = await t.ctx.db
    .insert(kbProposals)
    .values({
      territoryId: w.territory.id,
      sheetId: sheet.id,
      baseVersion: 1,
      title: sheet.title,
      summary: 'Un autre résumé',
      sections: sheet.sections,
      comment: 'Proposition',
      authorId: w.agentA.id,
    })
    .returning();
  return row!.id;
}
const KB = (at: World) => `${T}/${at.territory.id}/knowledge`;
const OBS = (at: World) => `${T}/${at.territory.id}/observatory`;
/** Who sees figures: agents (their contact points), partners (their organisation), coordinators; not the platform administrator. */
const statsReaders = (status: number): Expect => only({ agentA: status, referentX: status, managerX: status, coordinator: status });
/** Every member of the territory (agents, partners, coordinators); not the platform administrator. */
const kbMembers = (status: number): Expect => only({ agentA: status, referentX: status, managerX: status, coordinator: status });
/** Organisation X's people write its sheets (it has them on Relais: the coordination does not). */
const kbOwnersX = (status: number): Expect => only({ referentX: status, managerX: status });
const sheetBody = (organisationId: string | null) => ({
  title: `Nouvelle fiche ${fresh()}`,
  organisationId,
  themeCodes: ['famille'],
  sections: { steps: '1. Faire' },
  status: 'publiee',
});

/** A survey link of contact point A (a poster when `multiUse`, else a receipt's) and its token. */
async function insertSurveyLink(w: World, multiUse: boolean) {
  const { token, hash } = newSecretToken();
  const [row] = await t.ctx.db
    .insert(surveyLinks)
    .values({
      territoryId: w.territory.id,
      contactPointId: w.cpA.id,
      context: multiUse ? 'lieu' : 'accueil',
      tokenHash: hash,
      multiUse,
      expiresAt: multiUse ? null : new Date(Date.now() + 86_400_000),
    })
    .returning();
  return { id: row!.id, token };
}

const P = '/api/partner/v1/requests';
type Summary = { id: string; contactPoint: { id: string }; organisation: { id: string } };
const itemsOf = (body: unknown) => (body as { items: Summary[] }).items;

const rows: Row[] = [
  // System and public authentication routes: the same answer whoever calls.
  { op: 'GET /api/health', name: 'health is public', send: () => ({ path: '/api/health' }), expect: everyone(200) },
  { op: 'GET /api/auth/config', name: 'sign-in options are public', send: () => ({ path: '/api/auth/config' }), expect: everyone(200) },
  // The public finder: the same answer whoever calls, nothing personal (server/modules/finder).
  { op: 'GET /api/public/config', name: 'map settings are public', send: () => ({ path: '/api/public/config' }), expect: everyone(200) },
  {
    op: 'GET /api/public/communes',
    name: 'commune completion is public',
    send: () => ({ path: '/api/public/communes?q=61400' }),
    expect: everyone(200),
  },
  {
    op: 'GET /api/public/contact-points',
    name: 'the finder is public',
    send: () => ({ path: '/api/public/contact-points?lat=48.52&lon=0.55' }),
    expect: everyone(200),
  },
  {
    op: 'GET /api/public/contact-points/{id}',
    name: 'a contact point’s public page is public, in any territory',
    send: ({ w }) => ({ path: `/api/public/contact-points/${w.cpA.id}` }),
    expect: everyone(200),
  },
  {
    op: 'POST /api/auth/login',
    name: 'an unknown account cannot sign in',
    send: () => ({ path: '/api/auth/login', body: { email: `inconnu-${fresh()}@exemple.fr`, password: 'pas-le-bon' } }),
    expect: everyone(401),
  },
  {
    op: 'POST /api/auth/password-reset',
    name: 'a reset request answers the same for an unknown address',
    send: () => ({ path: '/api/auth/password-reset', body: { email: `inconnu-${fresh()}@exemple.fr` } }),
    expect: everyone(202),
  },
  {
    op: 'POST /api/auth/password-reset/confirm',
    name: 'a forged reset token is refused',
    send: () => ({ path: '/api/auth/password-reset/confirm', body: { token: 'x'.repeat(40), password: 'Nouveau-mot-de-passe-2026' } }),
    expect: everyone(400),
  },
  {
    op: 'GET /api/auth/invitations/{token}',
    name: 'a forged invitation is refused',
    send: () => ({ path: `/api/auth/invitations/${'y'.repeat(40)}` }),
    expect: everyone(400),
  },
  {
    op: 'POST /api/auth/invitations/accept',
    name: 'a forged invitation cannot be accepted',
    send: () => ({ path: '/api/auth/invitations/accept', body: { token: 'z'.repeat(40), password: 'Nouveau-mot-de-passe-2026' } }),
    expect: everyone(400),
  },
  { op: 'GET /api/auth/oidc/login', name: 'OIDC is off here', send: () => ({ path: '/api/auth/oidc/login' }), expect: everyone(404) },
  {
    op: 'GET /api/auth/oidc/callback',
    name: 'OIDC is off here',
    send: () => ({ path: '/api/auth/oidc/callback?state=x' }),
    expect: everyone(404),
  },

  // The signed-in person's own account.
  {
    op: 'POST /api/auth/logout',
    name: 'any person signs out of their own session',
    send: async ({ actor }) => ({ path: '/api/auth/logout', as: isUser(actor) ? await t.signIn(userOf(actor)) : undefined }),
    expect: users(200),
  },
  { op: 'GET /api/auth/me', name: 'any person reads who they are', send: () => ({ path: '/api/auth/me' }), expect: users(200) },
  {
    op: 'GET /api/account/sessions',
    name: 'any person lists their sessions',
    send: () => ({ path: '/api/account/sessions' }),
    expect: users(200),
  },
  {
    op: 'DELETE /api/account/sessions/{id}',
    name: 'a person closes another of their own sessions',
    send: async ({ actor }) => {
      const s = await openSession(t.ctx.db, { userId: userOf(actor).id, method: 'password', now: new Date(), ttlMs: 3600_000 });
      return { path: `/api/account/sessions/${s.sessionId}` };
    },
    expect: users(204),
  },
  {
    op: 'DELETE /api/account/sessions/{id}',
    name: 'nobody closes the session of someone else',
    send: async ({ w }) => {
      const s = await openSession(t.ctx.db, { userId: w.agentB.id, method: 'password', now: new Date(), ttlMs: 3600_000 });
      return { path: `/api/account/sessions/${s.sessionId}` };
    },
    expect: users(404),
  },
  {
    op: 'POST /api/account/password',
    name: 'a person reaches the password change (wrong current password)',
    send: () => ({ path: '/api/account/password', body: { currentPassword: 'pas-le-bon', newPassword: 'Nouveau-mot-de-passe-2026' } }),
    expect: users(400),
  },
  {
    op: 'GET /api/me/notifications',
    name: 'any person reads how they are notified',
    send: () => ({ path: '/api/me/notifications' }),
    expect: users(200),
  },
  {
    op: 'PUT /api/me/notifications',
    name: 'any person chooses how they are notified',
    send: () => ({ path: '/api/me/notifications', body: { mode: 'quotidien' } }),
    expect: users(200),
  },
  {
    op: 'GET /api/outbox/mails',
    name: 'the mail outbox: one’s own emails, a coordinator’s territories, everything for an administrator',
    send: () => ({ path: '/api/outbox/mails' }),
    expect: users(200),
    check: ({ actor }, body) => {
      const items = (body as { items: { to: string; mine: boolean }[] }).items;
      if (actor === 'admin' || actor === 'coordinator') return;
      const email = userOf(actor).email.toLowerCase();
      expect(items.every((m) => m.to.toLowerCase() === email && m.mine)).toBe(true);
    },
  },

  // Partner API tokens: coordinators for every organisation, managers for their own only.
  {
    op: 'GET /api/territories/{territoryId}/api-tokens',
    name: 'coordinators list every token, a manager only their organisation’s',
    send: ({ at }) => ({ path: `${T}/${at.territory.id}/api-tokens` }),
    expect: only({ managerX: 200, coordinator: 200, admin: 200 }),
    check: ({ w, actor }, body) => {
      const seen = ids(body);
      if (actor === 'managerX') expect(seen).toEqual([w.tokenX.id]);
      else expect(seen).toEqual(expect.arrayContaining([w.tokenX.id, w.tokenY.id]));
      expect(seen).not.toContain(T2.tokenX.id);
    },
  },
  {
    op: 'POST /api/territories/{territoryId}/api-tokens',
    name: 'a token for organisation X',
    send: ({ at, w }) => ({ path: `${T}/${at.territory.id}/api-tokens`, body: { organisationId: w.orgX.id, name: 'Jeton X' } }),
    expect: only({ managerX: 201, coordinator: 201, admin: 201 }),
    mixed: true,
  },
  {
    op: 'POST /api/territories/{territoryId}/api-tokens',
    name: 'a token for organisation Y',
    send: ({ at, w }) => ({ path: `${T}/${at.territory.id}/api-tokens`, body: { organisationId: w.orgY.id, name: 'Jeton Y' } }),
    expect: only({ coordinator: 201, admin: 201 }),
  },
  {
    op: 'DELETE /api/territories/{territoryId}/api-tokens/{id}',
    name: 'revoking a token of organisation X',
    send: async ({ at, w }) => {
      const token = await insertApiToken(t, w.territory.id, w.orgX.id, w.coordinator.id);
      return { path: `${T}/${at.territory.id}/api-tokens/${token.id}` };
    },
    expect: only({ managerX: 204, coordinator: 204, admin: 204 }),
    mixed: true,
  },
  {
    op: 'DELETE /api/territories/{territoryId}/api-tokens/{id}',
    name: 'revoking a token of organisation Y',
    send: async ({ at, w }) => {
      const token = await insertApiToken(t, w.territory.id, w.orgY.id, w.coordinator.id);
      return { path: `${T}/${at.territory.id}/api-tokens/${token.id}` };
    },
    expect: only({ coordinator: 204, admin: 204 }),
  },
  {
    op: 'GET /api/partner/v1/whoami',
    name: 'only a partner token learns its identity',
    send: () => ({ path: '/api/partner/v1/whoami' }),
    expect: { ...everyone(403), tokenX: 200, anonymous: 401 },
    check: (_s, body) => expect(body).toMatchObject({ territory: { id: T1.territory.id }, organisation: { id: T1.orgX.id } }),
  },

  // Partner webhooks: the organisation's managers and its own system (API token), the territory's coordinators.
  {
    op: 'GET /api/territories/{territoryId}/organisations/{organisationId}/webhooks',
    name: 'organisation X’s webhooks',
    mixed: true,
    send: async ({ at, w }) => {
      await insertWebhook(w, 'orgX');
      return { path: `${T}/${at.territory.id}/organisations/${w.orgX.id}/webhooks` };
    },
    expect: webhookManagers(200),
  },
  {
    op: 'POST /api/territories/{territoryId}/organisations/{organisationId}/webhooks',
    name: 'declaring a webhook of organisation X',
    mixed: true,
    send: ({ at, w }) => ({
      path: `${T}/${at.territory.id}/organisations/${w.orgX.id}/webhooks`,
      body: { url: 'https://93.184.215.14/relais', events: ['request.created'] },
    }),
    expect: webhookManagers(201),
  },
  {
    op: 'POST /api/territories/{territoryId}/organisations/{organisationId}/webhooks',
    name: 'declaring a webhook of organisation Y',
    send: ({ at }) => ({
      path: `${T}/${at.territory.id}/organisations/${at.orgY.id}/webhooks`,
      body: { url: 'https://93.184.215.14/relais', events: ['request.created'] },
    }),
    expect: only({ coordinator: 201, admin: 201 }),
  },
  {
    op: 'PATCH /api/territories/{territoryId}/organisations/{organisationId}/webhooks/{webhookId}',
    name: 'deactivating a webhook of organisation X',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${webhookPath(at, w, await insertWebhook(w, 'orgX'))}`, body: { active: false } }),
    expect: webhookManagers(200),
  },
  {
    op: 'PATCH /api/territories/{territoryId}/organisations/{organisationId}/webhooks/{webhookId}',
    name: 'deactivating a webhook of organisation Y',
    send: async ({ at }) => ({
      path: `${T}/${at.territory.id}/organisations/${at.orgY.id}/webhooks/${await insertWebhook(at, 'orgY')}`,
      body: { active: false },
    }),
    expect: only({ coordinator: 200, admin: 200 }),
  },
  {
    op: 'DELETE /api/territories/{territoryId}/organisations/{organisationId}/webhooks/{webhookId}',
    name: 'deleting a webhook of organisation X',
    mixed: true,
    send: async ({ at, w }) => ({ path: webhookPath(at, w, await insertWebhook(w, 'orgX')) }),
    expect: webhookManagers(204),
  },
  {
    op: 'POST /api/territories/{territoryId}/organisations/{organisationId}/webhooks/{webhookId}/rotate-secret',
    name: 'a new signing secret for a webhook of organisation X',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${webhookPath(at, w, await insertWebhook(w, 'orgX'))}/rotate-secret` }),
    expect: webhookManagers(200),
  },
  {
    op: 'GET /api/territories/{territoryId}/organisations/{organisationId}/webhooks/{webhookId}/deliveries',
    name: 'the delivery log of a webhook of organisation X',
    mixed: true,
    send: async ({ at, w }) => {
      const id = await insertWebhook(w, 'orgX');
      await insertDelivery(w, id);
      return { path: `${webhookPath(at, w, id)}/deliveries` };
    },
    expect: webhookManagers(200),
  },
  {
    op: 'POST /api/territories/{territoryId}/organisations/{organisationId}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver',
    name: 'sending an event of organisation X again',
    mixed: true,
    send: async ({ at, w }) => {
      const id = await insertWebhook(w, 'orgX');
      return { path: `${webhookPath(at, w, id)}/deliveries/${await insertDelivery(w, id)}/redeliver` };
    },
    expect: webhookManagers(202),
  },
  {
    op: 'POST /api/territories/{territoryId}/organisations/{organisationId}/webhooks/{webhookId}/ping',
    name: 'testing a webhook of organisation X',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${webhookPath(at, w, await insertWebhook(w, 'orgX'))}/ping` }),
    expect: webhookManagers(202),
  },

  // Members and roles.
  {
    op: 'GET /api/territories/{territoryId}/members',
    name: 'each member sees the people of their place or organisation, coordinators see all',
    send: ({ at }) => ({ path: `${T}/${at.territory.id}/members` }),
    expect: members(200),
    check: ({ w, actor }, body) => {
      const seen = (body as { userId: string }[]).map((m) => m.userId).sort();
      const expected = {
        agentA: [w.agentA],
        referentX: [w.referentX, w.managerX],
        managerX: [w.referentX, w.managerX],
      }[actor as 'agentA'];
      if (expected) expect(seen).toEqual(expected.map((u) => u.id).sort());
      else expect(seen).toEqual(expect.arrayContaining([w.agentA.id, w.agentB.id, w.referentY.id, w.coordinator.id]));
      expect(seen).not.toContain(T2.coordinator.id);
    },
  },
  {
    op: 'POST /api/territories/{territoryId}/invitations',
    name: 'inviting an agent of contact point A',
    send: ({ at, w }) => ({ path: `${T}/${at.territory.id}/invitations`, body: invite('agent', { contactPointId: w.cpA.id }) }),
    expect: only({ coordinator: 201, admin: 201 }),
    mixed: true,
  },
  {
    op: 'POST /api/territories/{territoryId}/invitations',
    name: 'inviting a referent of organisation X',
    send: ({ at, w }) => ({ path: `${T}/${at.territory.id}/invitations`, body: invite('referent', { organisationId: w.orgX.id }) }),
    expect: only({ managerX: 201, coordinator: 201, admin: 201 }),
    mixed: true,
  },
  {
    op: 'POST /api/territories/{territoryId}/invitations',
    name: 'inviting a referent of organisation Y',
    send: ({ at, w }) => ({ path: `${T}/${at.territory.id}/invitations`, body: invite('referent', { organisationId: w.orgY.id }) }),
    expect: only({ coordinator: 201, admin: 201 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/invitations',
    name: 'inviting a coordinator',
    send: ({ at }) => ({ path: `${T}/${at.territory.id}/invitations`, body: invite('coordinator') }),
    expect: only({ coordinator: 201, admin: 201 }),
  },
  {
    op: 'DELETE /api/territories/{territoryId}/memberships/{membershipId}',
    name: 'revoking a referent of organisation X',
    send: async ({ at, w }) => {
      const m = await membershipIdOf(await memberOf(w, { role: 'referent', organisationId: w.orgX.id }));
      return { path: `${T}/${at.territory.id}/memberships/${m}` };
    },
    expect: only({ managerX: 204, coordinator: 204, admin: 204 }),
    mixed: true,
  },
  {
    op: 'DELETE /api/territories/{territoryId}/memberships/{membershipId}',
    name: 'revoking a referent of organisation Y',
    send: async ({ at, w }) => {
      const m = await membershipIdOf(await memberOf(w, { role: 'referent', organisationId: w.orgY.id }));
      return { path: `${T}/${at.territory.id}/memberships/${m}` };
    },
    expect: only({ coordinator: 204, admin: 204 }),
  },
  {
    op: 'DELETE /api/territories/{territoryId}/memberships/{membershipId}',
    name: 'revoking an agent of contact point A',
    send: async ({ at, w }) => {
      const m = await membershipIdOf(await memberOf(w, { role: 'agent', contactPointId: w.cpA.id }));
      return { path: `${T}/${at.territory.id}/memberships/${m}` };
    },
    expect: only({ coordinator: 204, admin: 204 }),
    mixed: true,
  },
  {
    op: 'POST /api/territories/{territoryId}/members/{userId}/reactivate',
    name: 'reactivating a deactivated agent',
    send: async ({ at, w }) => {
      const u = await memberOf(w, { role: 'agent', contactPointId: w.cpA.id }, 'deactivated');
      return { path: `${T}/${at.territory.id}/members/${u.id}/reactivate` };
    },
    expect: only({ coordinator: 204, admin: 204 }),
    mixed: true,
  },

  // The network: territories, contact points, organisations.
  {
    op: 'GET /api/territories',
    name: 'each person lists the territories they belong to',
    send: () => ({ path: T }),
    expect: users(200),
    check: ({ actor }, body) => {
      const seen = ids(body);
      if (actor === 'nobody') expect(seen).toEqual([]);
      else if (actor === 'admin') expect(seen).toEqual(expect.arrayContaining([T1.territory.id, T2.territory.id]));
      else expect(seen).toEqual([T1.territory.id]);
    },
  },
  {
    op: 'POST /api/territories',
    name: 'creating a territory',
    send: () => ({ path: T, body: { slug: `t-${fresh()}`, name: 'Nouveau territoire', departmentCode: '61', regionCode: '28' } }),
    expect: only({ admin: 201 }),
  },
  {
    op: 'GET /api/territories/{territoryId}',
    name: 'reading a territory',
    send: ({ at }) => ({ path: `${T}/${at.territory.id}` }),
    expect: members(200),
  },
  {
    op: 'GET /api/territories/{territoryId}/contact-points',
    name: 'listing contact points',
    send: ({ at }) => ({ path: `${T}/${at.territory.id}/contact-points` }),
    expect: members(200),
    check: ({ w }, body) => {
      expect(ids(body)).toEqual(expect.arrayContaining([w.cpA.id, w.cpB.id]));
      expect(ids(body)).not.toContain(T2.cpA.id);
    },
  },
  {
    op: 'POST /api/territories/{territoryId}/contact-points',
    name: 'creating a contact point',
    send: ({ at }) => ({
      path: `${T}/${at.territory.id}/contact-points`,
      body: { name: `Lieu ${fresh()}`, kind: 'mairie', commune: 'Bellême' },
    }),
    expect: only({ coordinator: 201, admin: 201 }),
  },
  {
    op: 'GET /api/territories/{territoryId}/contact-points/{id}',
    name: 'reading a contact point',
    send: ({ at, w }) => ({ path: `${T}/${at.territory.id}/contact-points/${w.cpB.id}` }),
    expect: members(200),
    mixed: true,
  },
  {
    op: 'PATCH /api/territories/{territoryId}/contact-points/{id}',
    name: 'updating a contact point',
    send: ({ at, w }) => ({ path: `${T}/${at.territory.id}/contact-points/${w.cpB.id}`, body: { commune: `Bellême ${fresh()}` } }),
    expect: only({ coordinator: 200, admin: 200 }),
    mixed: true,
  },
  {
    op: 'PUT /api/territories/{territoryId}/contact-points/{id}/partners',
    name: 'setting the partners served at a contact point',
    send: ({ at, w }) => ({
      path: `${T}/${at.territory.id}/contact-points/${w.cpB.id}/partners`,
      body: { partners: [{ organisationId: w.orgX.id, note: 'permanence' }] },
    }),
    expect: only({ coordinator: 200, admin: 200 }),
    mixed: true,
  },
  {
    op: 'POST /api/territories/{territoryId}/contact-points/{id}/close',
    name: 'closing a contact point',
    send: async ({ at, w }) => ({
      path: `${T}/${at.territory.id}/contact-points/${(await createContactPoint(t.ctx.db, w.territory.id)).id}/close`,
    }),
    expect: only({ coordinator: 200, admin: 200 }),
    mixed: true,
  },
  {
    op: 'POST /api/territories/{territoryId}/contact-points/{id}/reopen',
    name: 'reopening a closed contact point',
    send: async ({ at, w }) => ({
      path: `${T}/${at.territory.id}/contact-points/${(await createContactPoint(t.ctx.db, w.territory.id, { closedAt: new Date() })).id}/reopen`,
    }),
    expect: only({ coordinator: 200, admin: 200 }),
    mixed: true,
  },
  {
    op: 'GET /api/territories/{territoryId}/label-checks',
    name: 'the France Services label checks are for the coordination',
    send: ({ at }) => ({ path: `${T}/${at.territory.id}/label-checks` }),
    expect: only({ coordinator: 200, admin: 200 }),
    check: ({ w }, body) => {
      const seen = (body as { contactPointId: string }[]).map((r) => r.contactPointId);
      expect(seen).toEqual(expect.arrayContaining([w.cpA.id, w.cpB.id]));
      expect(seen).not.toContain(T2.cpA.id);
    },
  },
  {
    op: 'POST /api/opening-hours/preview',
    name: 'members preview opening hours in their territory’s calendar',
    send: () => ({ path: '/api/opening-hours/preview', body: { value: 'Mo-Fr 09:00-12:00', territoryId: T1.territory.id } }),
    expect: members(200),
  },
  {
    op: 'POST /api/opening-hours/preview',
    name: 'nobody but an administrator previews hours in another territory’s calendar',
    send: () => ({ path: '/api/opening-hours/preview', body: { value: 'Mo-Fr 09:00-12:00', territoryId: T2.territory.id } }),
    expect: only({ admin: 200 }),
  },
  {
    op: 'GET /api/territories/{territoryId}/organisations',
    name: 'listing partner organisations',
    send: ({ at }) => ({ path: `${T}/${at.territory.id}/organisations` }),
    expect: members(200),
    check: ({ w }, body) => {
      expect(ids(body)).toEqual(expect.arrayContaining([w.orgX.id, w.orgY.id]));
      expect(ids(body)).not.toContain(T2.orgX.id);
    },
  },
  {
    op: 'POST /api/territories/{territoryId}/organisations',
    name: 'adding a partner organisation',
    send: ({ at }) => ({ path: `${T}/${at.territory.id}/organisations`, body: { name: 'Caisse locale', acronym: `CL-${fresh()}` } }),
    expect: only({ coordinator: 201, admin: 201 }),
  },

  // Imports and exports of the network (ANCT list, data·inclusion).
  {
    op: 'POST /api/territories/{territoryId}/imports',
    name: 'importing the ANCT list of France Services',
    send: ({ at }) => ({ path: `${T}/${at.territory.id}/imports`, body: importBody() }),
    expect: only({ coordinator: 201, admin: 201 }),
  },
  {
    op: 'GET /api/territories/{territoryId}/imports',
    name: 'listing the imports',
    send: ({ at }) => ({ path: `${T}/${at.territory.id}/imports` }),
    expect: only({ coordinator: 200, admin: 200 }),
  },
  {
    op: 'GET /api/territories/{territoryId}/imports/{id}',
    name: 'reading an import and its report',
    send: async ({ at, w }) => ({ path: `${T}/${at.territory.id}/imports/${await insertImport(w, false)}` }),
    expect: only({ coordinator: 200, admin: 200 }),
    mixed: true,
  },
  {
    op: 'POST /api/territories/{territoryId}/imports/{id}/apply',
    name: 'applying a dry run',
    send: async ({ at, w }) => ({ path: `${T}/${at.territory.id}/imports/${await insertImport(w, true)}/apply` }),
    expect: only({ coordinator: 201, admin: 201 }),
    mixed: true,
  },
  {
    op: 'GET /api/territories/{territoryId}/exports/data-inclusion',
    name: 'members export the network in the data·inclusion format',
    send: ({ at }) => ({ path: `${T}/${at.territory.id}/exports/data-inclusion` }),
    expect: members(200),
  },

  // Partners: details, catalogue, referents and their directory.
  {
    op: 'GET /api/territories/{territoryId}/organisations/{id}',
    name: 'every member reads a partner and its referents',
    send: ({ at, w }) => ({ path: `${T}/${at.territory.id}/organisations/${w.orgY.id}` }),
    expect: members(200),
    mixed: true,
  },
  {
    op: 'PATCH /api/territories/{territoryId}/organisations/{id}',
    name: 'updating organisation X (its manager may)',
    send: ({ at, w }) => ({ path: `${T}/${at.territory.id}/organisations/${w.orgX.id}`, body: { description: `Accueil ${fresh()}` } }),
    expect: only({ managerX: 200, coordinator: 200, admin: 200 }),
    mixed: true,
  },
  {
    op: 'PATCH /api/territories/{territoryId}/organisations/{id}',
    name: 'updating organisation Y',
    send: ({ at, w }) => ({ path: `${T}/${at.territory.id}/organisations/${w.orgY.id}`, body: { description: `Accueil ${fresh()}` } }),
    expect: only({ coordinator: 200, admin: 200 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/organisations/from-catalogue',
    name: 'adding a partner from the national catalogue',
    send: async ({ at }) => {
      // One per catalogue code and territory: remove the previous actor's.
      await t.ctx.database.pool.query("DELETE FROM partner_organisations WHERE territory_id = $1 AND national_code = 'ADIL'", [
        at.territory.id,
      ]);
      return { path: `${T}/${at.territory.id}/organisations/from-catalogue`, body: { catalogueCode: 'ADIL' } };
    },
    expect: only({ coordinator: 201, admin: 201 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/organisations/{organisationId}/referents',
    name: 'adding a referent to organisation X (its manager may)',
    send: ({ at, w }) => ({
      path: `${T}/${at.territory.id}/organisations/${w.orgX.id}/referents`,
      body: { fullName: `Référent ${fresh()}` },
    }),
    expect: only({ managerX: 201, coordinator: 201, admin: 201 }),
    mixed: true,
  },
  {
    op: 'POST /api/territories/{territoryId}/organisations/{organisationId}/referents',
    name: 'adding a referent to organisation Y',
    send: ({ at, w }) => ({
      path: `${T}/${at.territory.id}/organisations/${w.orgY.id}/referents`,
      body: { fullName: `Référent ${fresh()}` },
    }),
    expect: only({ coordinator: 201, admin: 201 }),
  },
  {
    op: 'GET /api/territories/{territoryId}/referents',
    name: 'every member searches the referents directory of their territory',
    send: async ({ at, w }) => {
      await insertReferent(w, 'orgY');
      return { path: `${T}/${at.territory.id}/referents` };
    },
    expect: members(200),
    check: ({ w }, body) => {
      const orgs = (body as { organisation: { id: string } }[]).map((r) => r.organisation.id);
      expect(orgs).toContain(w.orgY.id);
      expect(orgs).not.toContain(T2.orgY.id);
    },
  },
  {
    op: 'GET /api/territories/{territoryId}/referents/{id}',
    name: 'every member reads a referent',
    send: async ({ at, w }) => ({ path: `${T}/${at.territory.id}/referents/${await insertReferent(w, 'orgY')}` }),
    expect: members(200),
    mixed: true,
  },
  {
    op: 'PATCH /api/territories/{territoryId}/referents/{id}',
    name: 'updating a referent of organisation X (its manager may)',
    send: async ({ at, w }) => ({
      path: `${T}/${at.territory.id}/referents/${await insertReferent(w, 'orgX')}`,
      body: { title: 'Conseillère' },
    }),
    expect: only({ managerX: 200, coordinator: 200, admin: 200 }),
    mixed: true,
  },
  {
    op: 'PATCH /api/territories/{territoryId}/referents/{id}',
    name: 'updating a referent of organisation Y',
    send: async ({ at, w }) => ({
      path: `${T}/${at.territory.id}/referents/${await insertReferent(w, 'orgY')}`,
      body: { title: 'Conseillère' },
    }),
    expect: only({ coordinator: 200, admin: 200 }),
  },
  {
    op: 'DELETE /api/territories/{territoryId}/referents/{id}',
    name: 'removing a referent of organisation X (its manager may)',
    send: async ({ at, w }) => ({ path: `${T}/${at.territory.id}/referents/${await insertReferent(w, 'orgX')}` }),
    expect: only({ managerX: 204, coordinator: 204, admin: 204 }),
    mixed: true,
  },
  {
    op: 'DELETE /api/territories/{territoryId}/referents/{id}',
    name: 'removing a referent of organisation Y',
    send: async ({ at, w }) => ({ path: `${T}/${at.territory.id}/referents/${await insertReferent(w, 'orgY')}` }),
    expect: only({ coordinator: 204, admin: 204 }),
  },

  // Bus stops.
  {
    op: 'GET /api/territories/{territoryId}/contact-points/{id}/bus-stops',
    name: 'every member reads the stops of a bus',
    send: async ({ at, w }) => ({ path: `${T}/${at.territory.id}/contact-points/${(await busOf(w)).id}/bus-stops` }),
    expect: members(200),
    mixed: true,
  },
  {
    op: 'POST /api/territories/{territoryId}/contact-points/{id}/bus-stops',
    name: 'adding a bus stop',
    send: async ({ at, w }) => ({ path: `${T}/${at.territory.id}/contact-points/${(await busOf(w)).id}/bus-stops`, body: busStopBody }),
    expect: only({ coordinator: 201, admin: 201 }),
    mixed: true,
  },
  {
    op: 'POST /api/territories/{territoryId}/contact-points/{id}/bus-stops/series',
    name: 'adding a weekly series of bus stops',
    send: async ({ at, w }) => ({
      path: `${T}/${at.territory.id}/contact-points/${(await busOf(w)).id}/bus-stops/series`,
      body: { ...busStopBody, date: undefined, from: '2030-06-01', to: '2030-06-30', weekday: 'mercredi' },
    }),
    expect: only({ coordinator: 201, admin: 201 }),
    mixed: true,
  },
  {
    op: 'GET /api/territories/{territoryId}/bus-stops/{id}',
    name: 'every member reads a bus stop',
    send: async ({ at, w }) => ({ path: `${T}/${at.territory.id}/bus-stops/${await insertBusStop(w)}` }),
    expect: members(200),
    mixed: true,
  },
  {
    op: 'PATCH /api/territories/{territoryId}/bus-stops/{id}',
    name: 'moving a bus stop',
    send: async ({ at, w }) => ({ path: `${T}/${at.territory.id}/bus-stops/${await insertBusStop(w)}`, body: { place: 'Parking' } }),
    expect: only({ coordinator: 200, admin: 200 }),
    mixed: true,
  },
  {
    op: 'POST /api/territories/{territoryId}/bus-stops/{id}/cancel',
    name: 'cancelling a bus stop',
    send: async ({ at, w }) => ({ path: `${T}/${at.territory.id}/bus-stops/${await insertBusStop(w)}/cancel` }),
    expect: only({ coordinator: 200, admin: 200 }),
    mixed: true,
  },

  // The security journal.
  {
    op: 'GET /api/territories/{territoryId}/audit-events',
    name: 'only coordinators read the journal',
    send: ({ at }) => ({ path: `${T}/${at.territory.id}/audit-events?limit=200` }),
    expect: only({ coordinator: 200, admin: 200 }),
    check: (_s, body) => {
      const items = (body as { items: { targetId: string | null }[] }).items;
      expect(items.length).toBeGreaterThan(0);
      const foreign = new Set([T2.territory.id, T2.coordinator.id, T2.agentA.id, T2.tokenX.id]);
      expect(items.filter((e) => e.targetId && foreign.has(e.targetId))).toEqual([]);
    },
  },
  // Person files: agents of the holding contact point and coordinators; no partner, no administrator (server/modules/people).
  {
    op: 'GET /api/territories/{territoryId}/people',
    name: 'person search: agents (their contact points) and coordinators',
    send: async ({ at }) => {
      await personFileOf(at);
      return { path: `${T}/${at.territory.id}/people?q=Matrice` };
    },
    expect: only({ agentA: 200, coordinator: 200 }),
    check: (_s, body) => expect((body as { items: unknown[] }).items).toHaveLength(1),
  },
  {
    op: 'POST /api/territories/{territoryId}/people/duplicates',
    name: 'duplicates before creating a person file',
    send: ({ at }) => ({ path: `${T}/${at.territory.id}/people/duplicates`, body: { lastName: 'Matrice' } }),
    expect: only({ agentA: 200, coordinator: 200 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/people',
    name: 'creating a person file for one of one’s contact points',
    mixed: true,
    send: ({ at, w }) => ({
      path: `${T}/${at.territory.id}/people`,
      body: { firstName: 'Usager', lastName: `Nouveau ${fresh()}`, contactPointId: w.cpA.id },
    }),
    expect: only({ agentA: 201, coordinator: 201 }),
  },
  {
    op: 'GET /api/territories/{territoryId}/people/{id}',
    name: 'opening a person file',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${T}/${at.territory.id}/people/${await personFileOf(w)}?screen=matrice` }),
    expect: only({ agentA: 200, coordinator: 200 }),
  },
  {
    op: 'PATCH /api/territories/{territoryId}/people/{id}',
    name: 'updating a person file',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${T}/${at.territory.id}/people/${await personFileOf(w)}`, body: { commune: 'Bellême' } }),
    expect: only({ agentA: 200, coordinator: 200 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/people/{id}/reveal',
    name: 'revealing an identifier',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${T}/${at.territory.id}/people/${await personFileOf(w)}/reveal`, body: { field: 'nir' } }),
    expect: only({ agentA: 200, coordinator: 200 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/people/{id}/consents',
    name: 'recording a consent to share',
    mixed: true,
    send: async ({ at, w }) => ({
      path: `${T}/${at.territory.id}/people/${await personFileOf(w)}/consents`,
      body: { organisationId: w.orgX.id, how: 'oral' },
    }),
    expect: only({ agentA: 201, coordinator: 201 }),
  },
  {
    op: 'DELETE /api/territories/{territoryId}/people/{id}/consents/{consentId}',
    name: 'withdrawing a consent',
    mixed: true,
    send: async ({ at, w }) => {
      const { personId, consentId } = await consentOf(w);
      return { path: `${T}/${at.territory.id}/people/${personId}/consents/${consentId}` };
    },
    expect: only({ agentA: 200, coordinator: 200 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/people/{id}/contact-points',
    name: 'sharing a person file with another contact point: coordinators only',
    mixed: true,
    send: async ({ at, w }) => ({
      path: `${T}/${at.territory.id}/people/${await personFileOf(w)}/contact-points`,
      body: { contactPointId: w.cpB.id },
    }),
    expect: only({ coordinator: 200 }),
  },
  // A file's life: history for those who read it; merge for them too; export and erasure for coordinators (server/modules/people/lifecycle.routes.ts).
  {
    op: 'GET /api/territories/{territoryId}/people/{id}/history',
    name: 'the history of a person file',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${T}/${at.territory.id}/people/${await personFileOf(w)}/history?screen=matrice` }),
    expect: only({ agentA: 200, coordinator: 200 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/people/{id}/merge',
    name: 'merging two files held by one’s contact point',
    mixed: true,
    send: async ({ at, w }) => ({
      path: `${T}/${at.territory.id}/people/${await newPersonFile(w)}/merge`,
      body: { duplicateId: await newPersonFile(w) },
    }),
    expect: only({ agentA: 200, coordinator: 200 }),
  },
  {
    op: 'GET /api/territories/{territoryId}/people/{id}/export',
    name: 'exporting a file for an access request: coordinators only',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${T}/${at.territory.id}/people/${await personFileOf(w)}/export` }),
    expect: only({ coordinator: 200 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/people/{id}/erase',
    name: 'erasing a file on request: coordinators only',
    mixed: true,
    send: async ({ at, w }) => ({
      path: `${T}/${at.territory.id}/people/${await newPersonFile(w)}/erase`,
      body: { reason: 'Demande de la personne' },
    }),
    expect: only({ coordinator: 200 }),
  },
  // Mandates: acted on by the agents of the holding contact point, read by coordinators too; no partner, no administrator.
  {
    op: 'GET /api/territories/{territoryId}/people/{id}/mandates',
    name: 'a person’s mandates',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${T}/${at.territory.id}/people/${await personFileOf(w)}/mandates` }),
    expect: only({ agentA: 200, coordinator: 200 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/people/{id}/mandates',
    name: 'recording a mandate for contact point A: its agents only',
    mixed: true,
    send: async ({ at, w }) => ({
      path: `${T}/${at.territory.id}/people/${await personFileOf(w)}/mandates`,
      body: { contactPointId: w.cpA.id, scope: { all: true }, duration: '1_jour', consentMethod: 'telephone' },
    }),
    expect: only({ agentA: 201 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/people/{id}/mandates/sms-challenges',
    name: 'sending the SMS code of a mandate',
    mixed: true,
    send: async ({ at, w }) => ({
      path: `${T}/${at.territory.id}/people/${await personFileOf(w)}/mandates/sms-challenges`,
      body: { contactPointId: w.cpA.id, scope: { all: true }, duration: '1_jour', phone: '06 00 00 00 01' },
    }),
    expect: only({ agentA: 201 }),
  },
  {
    op: 'GET /api/territories/{territoryId}/people/{id}/mandates/{mandateId}',
    name: 'one mandate (printable form)',
    mixed: true,
    send: async ({ at, w }) => ({ path: await mandatePath(at, w) }),
    expect: only({ agentA: 200, coordinator: 200 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/people/{id}/mandates/{mandateId}/renew',
    name: 'renewing a mandate',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${await mandatePath(at, w)}/renew`, body: { duration: '1_mois', consentMethod: 'telephone' } }),
    expect: only({ agentA: 201 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/people/{id}/mandates/{mandateId}/revoke',
    name: 'revoking a mandate',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${await mandatePath(at, w)}/revoke`, body: { reason: 'Demande de la personne' } }),
    expect: only({ agentA: 200 }),
  },
  {
    op: 'PUT /api/territories/{territoryId}/people/{id}/mandates/{mandateId}/document',
    name: 'attaching the signed form',
    mixed: true,
    send: async ({ at, w }) => ({
      path: `${await mandatePath(at, w)}/document`,
      body: { fileName: 'mandat.pdf', contentBase64: Buffer.from('%PDF-1.7\n').toString('base64') },
    }),
    expect: only({ agentA: 200 }),
  },
  {
    op: 'GET /api/territories/{territoryId}/people/{id}/mandates/{mandateId}/document',
    name: 'downloading the signed form',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${await mandatePath(at, w)}/document` }),
    expect: only({ agentA: 200, coordinator: 200 }),
  },
  {
    op: 'GET /api/territories/{territoryId}/sms-outbox',
    name: 'the SMS outbox of the territory',
    send: ({ at }) => ({ path: `${T}/${at.territory.id}/sms-outbox` }),
    expect: only({ agentA: 200, coordinator: 200 }),
  },
  // Taxonomy: read by the territory's members, edited by coordinators (server/modules/visits/taxonomy.service.ts).
  {
    op: 'GET /api/territories/{territoryId}/taxonomy',
    name: 'the territory’s themes and reporting groups',
    send: ({ at }) => ({ path: `${T}/${at.territory.id}/taxonomy` }),
    expect: members(200),
  },
  {
    op: 'POST /api/territories/{territoryId}/taxonomy/themes',
    name: 'adding a territory theme',
    send: ({ at }) => ({ path: `${T}/${at.territory.id}/taxonomy/themes`, body: { code: `local-${fresh()}`, label: 'Thème local' } }),
    expect: only({ coordinator: 201, admin: 201 }),
  },
  {
    op: 'PATCH /api/territories/{territoryId}/taxonomy/themes/{id}',
    name: 'archiving a territory theme',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${T}/${at.territory.id}/taxonomy/themes/${await insertTheme(w)}`, body: { archived: true } }),
    expect: only({ coordinator: 200, admin: 200 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/taxonomy/groups',
    name: 'creating a reporting group',
    send: ({ at }) => ({
      path: `${T}/${at.territory.id}/taxonomy/groups`,
      body: { code: `groupe-${fresh()}`, label: 'Groupe', themeCodes: ['famille'] },
    }),
    expect: only({ coordinator: 201, admin: 201 }),
  },
  {
    op: 'PATCH /api/territories/{territoryId}/taxonomy/groups/{id}',
    name: 'editing a reporting group',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${T}/${at.territory.id}/taxonomy/groups/${await insertGroup(w)}`, body: { label: 'Autre nom' } }),
    expect: only({ coordinator: 200, admin: 200 }),
  },
  // Visits: agents of the contact point and coordinators; no partner, no administrator (server/modules/visits).
  {
    op: 'POST /api/territories/{territoryId}/visits',
    name: 'logging a visit at contact point A',
    mixed: true,
    send: ({ at, w }) => ({
      path: `${T}/${at.territory.id}/visits`,
      body: { contactPointId: w.cpA.id, channel: 'sur_place', idempotencyKey: randomUUID() },
    }),
    expect: only({ agentA: 201, coordinator: 201 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/visits',
    name: 'logging a visit at contact point B: not agent A’s',
    send: ({ at }) => ({
      path: `${T}/${at.territory.id}/visits`,
      body: { contactPointId: at.cpB.id, channel: 'sur_place', idempotencyKey: randomUUID() },
    }),
    expect: only({ coordinator: 201 }),
  },
  {
    op: 'GET /api/territories/{territoryId}/visits',
    name: 'visits: an agent’s contact points, all for coordinators',
    send: async ({ at }) => {
      await insertVisit(at);
      return { path: `${T}/${at.territory.id}/visits` };
    },
    expect: only({ agentA: 200, coordinator: 200 }),
    check: ({ w, actor }, body) => {
      const items = (body as { items: { contactPointId: string; territoryId: string }[] }).items;
      expect(items.length).toBeGreaterThan(0);
      expect(items.every((v) => v.territoryId === w.territory.id)).toBe(true);
      if (actor === 'agentA') expect(items.every((v) => v.contactPointId === w.cpA.id)).toBe(true);
    },
  },
  {
    op: 'GET /api/territories/{territoryId}/visits/{id}',
    name: 'one visit of contact point A',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${T}/${at.territory.id}/visits/${await insertVisit(w)}` }),
    expect: only({ agentA: 200, coordinator: 200 }),
  },
  {
    op: 'PATCH /api/territories/{territoryId}/visits/{id}',
    name: 'correcting a visit: only the agent who logged it',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${T}/${at.territory.id}/visits/${await insertVisit(w)}`, body: { durationMinutes: 15 } }),
    expect: only({ agentA: 200 }),
  },
  {
    op: 'GET /api/territories/{territoryId}/contact-points/{id}/visit-shortcuts',
    name: 'quick choices of contact point A',
    mixed: true,
    send: ({ at, w }) => ({ path: `${T}/${at.territory.id}/contact-points/${w.cpA.id}/visit-shortcuts` }),
    expect: only({ agentA: 200, coordinator: 200 }),
  },
  // Requests (saisines): agents of the sending contact point on one side, the addressed
  // organisation's referents and managers on the other, coordinators read (server/modules/requests).
  {
    op: 'POST /api/territories/{territoryId}/requests',
    name: 'sending a request from contact point A: its agents only',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${T}/${at.territory.id}/requests`, body: await requestBody(w) }),
    expect: only({ agentA: 201 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/requests',
    name: 'sending a request from contact point B: not agent A’s, and a coordinator does not write requests',
    send: async ({ at }) => ({ path: `${T}/${at.territory.id}/requests`, body: { ...(await requestBody(at)), contactPointId: at.cpB.id } }),
    expect: only({}),
  },
  {
    op: 'GET /api/territories/{territoryId}/requests',
    name: 'requests: an agent’s contact points, a partner’s organisation, all for coordinators',
    send: async ({ at }) => {
      await insertRequest(at);
      await insertRequest(at, 'envoyee', 'B');
      return { path: `${T}/${at.territory.id}/requests` };
    },
    expect: only({ agentA: 200, referentX: 200, managerX: 200, coordinator: 200 }),
    check: ({ w, actor }, body) => {
      const items = itemsOf(body);
      const cps = new Set(items.map((i) => i.contactPoint.id));
      const orgs = new Set(items.map((i) => i.organisation.id));
      if (actor === 'agentA') expect([...cps]).toEqual([w.cpA.id]);
      else if (actor === 'referentX' || actor === 'managerX') expect([...orgs]).toEqual([w.orgX.id]);
      else expect([...cps].sort()).toEqual([w.cpA.id, w.cpB.id].sort());
    },
  },
  {
    op: 'GET /api/territories/{territoryId}/requests/by-reference/{reference}',
    name: 'finding a request by its reference when the person phones: agents and coordinators',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${T}/${at.territory.id}/requests/by-reference/${(await insertRequest(w)).reference}` }),
    expect: only({ agentA: 200, coordinator: 200 }),
    check: (_s, body) => expect(body).toMatchObject({ canOpen: true }),
  },
  {
    op: 'GET /api/territories/{territoryId}/requests/by-reference/{reference}',
    name: 'another contact point’s request by reference: its status, not its details',
    send: async ({ at }) => ({
      path: `${T}/${at.territory.id}/requests/by-reference/${(await insertRequest(at, 'envoyee', 'B')).reference}`,
    }),
    expect: only({ agentA: 200, coordinator: 200 }),
    check: ({ actor }, body) => expect(body).toMatchObject({ canOpen: actor === 'coordinator' }),
  },
  {
    op: 'GET /api/territories/{territoryId}/requests/{requestId}',
    name: 'a request, read by each of its parties from their side',
    mixed: true,
    send: async ({ at, w }) => ({ path: await requestPath(at, w) }),
    expect: parties({ agentA: 200, referentX: 200, managerX: 200, coordinator: 200 }),
    check: ({ actor }, body) =>
      expect((body as { side: string }).side).toBe(
        { agentA: 'agent', referentX: 'partner', managerX: 'partner', coordinator: 'coordination' }[actor as 'agentA'],
      ),
  },
  {
    op: 'GET /api/territories/{territoryId}/requests/{requestId}',
    name: 'a request from contact point B to organisation Y: only the coordination of A and X’s people',
    send: async ({ at }) => ({ path: await requestPath(at, at, 'envoyee', 'B') }),
    expect: { ...users(404), coordinator: 200 },
  },
  {
    op: 'POST /api/territories/{territoryId}/requests/{requestId}/take',
    name: 'taking a request in charge: the organisation’s people',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${await requestPath(at, w)}/take`, body: {} }),
    expect: parties({ referentX: 200, managerX: 200 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/requests/{requestId}/assign',
    name: 'assigning a request to the referent: the referent themself or the manager',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${await requestPath(at, w)}/assign`, body: { userId: w.referentX.id } }),
    expect: parties({ referentX: 200, managerX: 200 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/requests/{requestId}/assign',
    name: 'assigning a request to the manager: a referent does not assign others',
    send: async ({ at }) => ({ path: `${await requestPath(at, at)}/assign`, body: { userId: at.managerX.id } }),
    expect: parties({ managerX: 200 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/requests/{requestId}/messages',
    name: 'writing a message: both sides, not the coordination',
    mixed: true,
    send: async ({ at, w }) => ({
      path: `${await requestPath(at, w)}/messages`,
      body: { kind: 'message', body: 'Avez-vous reçu le dossier ?' },
    }),
    expect: parties({ agentA: 201, referentX: 201, managerX: 201 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/requests/{requestId}/messages',
    name: 'answering: the organisation only',
    send: async ({ at }) => ({ path: `${await requestPath(at, at)}/messages`, body: { kind: 'reponse', body: 'Le dossier est réglé.' } }),
    expect: parties({ referentX: 201, managerX: 201 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/requests/{requestId}/reroute',
    name: 're-routing to organisation Y: the organisation’s people',
    mixed: true,
    send: async ({ at, w }) => ({
      path: `${await requestPath(at, w)}/reroute`,
      body: { organisationId: w.orgY.id, reason: 'Ce n’est pas pour nous' },
    }),
    expect: parties({ referentX: 200, managerX: 200 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/requests/{requestId}/invite',
    name: 'inviting organisation Y: the organisation’s people',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${await requestPath(at, w)}/invite`, body: { organisationId: w.orgY.id } }),
    expect: parties({ referentX: 200, managerX: 200 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/requests/{requestId}/close',
    name: 'closing: both sides, not the coordination',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${await requestPath(at, w)}/close`, body: { reason: 'Réglé' } }),
    expect: parties({ agentA: 200, referentX: 200, managerX: 200 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/requests/{requestId}/reopen',
    name: 'reopening a closed request: the sending contact point only',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${await requestPath(at, w, 'cloturee')}/reopen`, body: { reason: 'Nouveau courrier' } }),
    expect: parties({ agentA: 200 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/requests/{requestId}/rate',
    name: 'rating an answer: the sending contact point only',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${await requestPath(at, w, 'repondue')}/rate`, body: { usefulness: 'utile' } }),
    expect: parties({ agentA: 200 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/requests/{requestId}/archive',
    name: 'archiving a closed request: the coordination only',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${await requestPath(at, w, 'cloturee')}/archive`, body: {} }),
    expect: parties({ coordinator: 200 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/requests/{requestId}/attachments',
    name: 'joining a file: both sides, not the coordination',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${await requestPath(at, w)}/attachments`, ...pdfUpload }),
    expect: parties({ agentA: 201, referentX: 201, managerX: 201 }),
  },
  {
    op: 'GET /api/territories/{territoryId}/requests/{requestId}/attachments/{attachmentId}',
    name: 'downloading the agent’s file: every party',
    mixed: true,
    send: async ({ at, w }) => {
      const { requestId, attachmentId } = await insertAttachment(w);
      return { path: `${T}/${at.territory.id}/requests/${requestId}/attachments/${attachmentId}` };
    },
    expect: parties({ agentA: 200, referentX: 200, managerX: 200, coordinator: 200 }),
  },
  {
    op: 'GET /api/territories/{territoryId}/requests/{requestId}/attachments/{attachmentId}',
    name: 'downloading the file of an internal note: the organisation only',
    send: async ({ at }) => {
      const { requestId, attachmentId } = await insertAttachment(at, 'internal_note');
      return { path: `${T}/${at.territory.id}/requests/${requestId}/attachments/${attachmentId}` };
    },
    expect: parties({ agentA: 404, referentX: 200, managerX: 200, coordinator: 404 }),
  },
  {
    op: 'GET /api/territories/{territoryId}/requests/{requestId}/receipt',
    name: 'the receipt: the sending contact point and the coordination',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${await requestPath(at, w)}/receipt` }),
    expect: parties({ agentA: 200, coordinator: 200 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/requests/{requestId}/receipt/sms',
    name: 'the receipt by SMS: the sending contact point and the coordination',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${await requestPath(at, w)}/receipt/sms`, body: {} }),
    expect: parties({ agentA: 204, coordinator: 204 }),
  },
  {
    op: 'GET /api/territories/{territoryId}/organisations/{organisationId}/inbox',
    name: 'organisation X’s inbox: its people and the coordinators',
    mixed: true,
    send: async ({ at, w }) => {
      await insertRequest(w);
      return { path: `${T}/${at.territory.id}/organisations/${w.orgX.id}/inbox` };
    },
    expect: only({ referentX: 200, managerX: 200, coordinator: 200 }),
    check: ({ w }, body) => {
      expect(itemsOf(body).length).toBeGreaterThan(0);
      expect(itemsOf(body).every((i) => i.organisation.id === w.orgX.id)).toBe(true);
    },
  },
  {
    op: 'GET /api/territories/{territoryId}/organisations/{organisationId}/inbox',
    name: 'organisation Y’s inbox: not X’s people',
    send: ({ at }) => ({ path: `${T}/${at.territory.id}/organisations/${at.orgY.id}/inbox` }),
    expect: only({ coordinator: 200 }),
  },
  {
    op: 'GET /api/territories/{territoryId}/organisations/{organisationId}/request-assignees',
    name: 'whom organisation X’s requests can be assigned to (and addressed to, by the agents)',
    mixed: true,
    send: ({ at, w }) => ({ path: `${T}/${at.territory.id}/organisations/${w.orgX.id}/request-assignees` }),
    expect: only({ agentA: 200, referentX: 200, managerX: 200, coordinator: 200 }),
    check: ({ w }, body) => {
      const seen = ids((body as { items: unknown }).items);
      expect(seen).toEqual(expect.arrayContaining([w.referentX.id, w.managerX.id]));
      for (const other of [w.referentY, w.managerY, w.agentA, w.coordinator]) expect(seen).not.toContain(other.id);
    },
  },
  {
    op: 'GET /api/territories/{territoryId}/organisations/{organisationId}/request-settings',
    name: 'organisation X’s deadlines and required identifiers: the whole territory reads them',
    mixed: true,
    send: ({ at, w }) => ({ path: `${T}/${at.territory.id}/organisations/${w.orgX.id}/request-settings` }),
    expect: members(200),
  },
  {
    op: 'PUT /api/territories/{territoryId}/organisations/{organisationId}/request-settings',
    name: 'setting organisation X’s deadlines: its manager and the coordinators',
    mixed: true,
    send: ({ at, w }) => ({
      path: `${T}/${at.territory.id}/organisations/${w.orgX.id}/request-settings`,
      body: { firstAnswerDays: 4, followUpDays: 4 },
    }),
    expect: only({ managerX: 200, coordinator: 200 }),
  },
  {
    op: 'PUT /api/territories/{territoryId}/organisations/{organisationId}/request-settings',
    name: 'setting organisation Y’s deadlines: not X’s manager',
    send: ({ at }) => ({
      path: `${T}/${at.territory.id}/organisations/${at.orgY.id}/request-settings`,
      body: { firstAnswerDays: 4, followUpDays: 4 },
    }),
    expect: only({ coordinator: 200 }),
  },
  // The partner API: organisation X's own system, with its API token, on X's requests only.
  {
    op: 'GET /api/partner/v1/requests',
    name: 'the token’s organisation inbox',
    send: async () => {
      await insertRequest(T1);
      return { path: P };
    },
    expect: partnerApi(200),
    check: (_s, body) => {
      expect(itemsOf(body).length).toBeGreaterThan(0);
      expect(itemsOf(body).every((i) => i.organisation.id === T1.orgX.id)).toBe(true);
    },
  },
  {
    op: 'GET /api/partner/v1/requests/{requestId}',
    name: 'a request addressed to the token’s organisation',
    mixed: true,
    send: async ({ w }) => ({ path: `${P}/${(await insertRequest(w)).id}` }),
    expect: partnerApi(200),
    check: (_s, body) => expect(body).toMatchObject({ side: 'partner' }),
  },
  {
    op: 'GET /api/partner/v1/requests/{requestId}',
    name: 'a request addressed to another organisation: not found',
    send: async () => ({ path: `${P}/${(await insertRequest(T1, 'envoyee', 'B')).id}` }),
    expect: partnerApi(404),
  },
  {
    op: 'POST /api/partner/v1/requests/{requestId}/messages',
    name: 'answering through the partner API',
    mixed: true,
    send: async ({ w }) => ({ path: `${P}/${(await insertRequest(w)).id}/messages`, body: { kind: 'reponse', body: 'Dossier réglé.' } }),
    expect: partnerApi(201),
  },
  {
    op: 'POST /api/partner/v1/requests/{requestId}/assign',
    name: 'assigning through the partner API',
    mixed: true,
    send: async ({ w }) => ({ path: `${P}/${(await insertRequest(w)).id}/assign`, body: { userId: w.referentX.id } }),
    expect: partnerApi(200),
  },
  {
    op: 'POST /api/partner/v1/requests/{requestId}/reroute',
    name: 're-routing through the partner API',
    mixed: true,
    send: async ({ w }) => ({
      path: `${P}/${(await insertRequest(w)).id}/reroute`,
      body: { organisationId: w.orgY.id, reason: 'Ce n’est pas pour nous' },
    }),
    expect: partnerApi(200),
  },
  {
    op: 'POST /api/partner/v1/requests/{requestId}/close',
    name: 'closing through the partner API',
    mixed: true,
    send: async ({ w }) => ({ path: `${P}/${(await insertRequest(w)).id}/close`, body: {} }),
    expect: partnerApi(200),
  },
  // Observatory: coordinators see the territory, agents their contact points, partners their
  // organisation; a filter outside the scope is refused; the platform administrator sees none.
  ...(['visits', 'requests'] as const).flatMap((board): Row[] => [
    {
      op: `GET /api/territories/{territoryId}/observatory/${board}`,
      name: `the ${board} dashboard, each within its scope`,
      send: ({ at }) => ({ path: `${OBS(at)}/${board}?from=2026-01&to=2026-12` }),
      expect: statsReaders(200),
      check: ({ actor }, body) => {
        const kind = (body as { scope: { kind: string } }).scope.kind;
        expect(kind).toBe(actor === 'coordinator' ? 'territoire' : actor === 'agentA' ? 'lieux' : 'partenaire');
      },
    },
    {
      op: `GET /api/territories/{territoryId}/observatory/${board}`,
      name: `the ${board} dashboard of another contact point: not for its agents`,
      mixed: true,
      send: ({ at, w }) => ({ path: `${OBS(at)}/${board}?contactPointId=${w.cpB.id}` }),
      expect: only({ referentX: 200, managerX: 200, coordinator: 200, agentA: 403 }),
    },
    {
      op: `GET /api/territories/{territoryId}/observatory/${board}`,
      name: `the ${board} dashboard of another partner: not for X's people`,
      mixed: true,
      send: ({ at, w }) => ({ path: `${OBS(at)}/${board}?organisationId=${w.orgY.id}` }),
      expect: only({ agentA: 200, coordinator: 200, referentX: 403, managerX: 403 }),
    },
  ]),
  {
    op: 'GET /api/public/statistics/{slug}',
    name: 'the public statistics page',
    send: ({ at }) => ({ path: `/api/public/statistics/${at.territory.slug}` }),
    expect: everyone(200),
  },
  // Knowledge base: every member reads and proposes; a partner's people write its sheets; the
  // coordination writes the network's; the platform administrator is not a member.
  {
    op: 'GET /api/territories/{territoryId}/knowledge/sheets',
    name: 'searching the sheets',
    send: async ({ at }) => {
      await insertSheet(at);
      return { path: `${KB(at)}/sheets?q=allocation` };
    },
    expect: kbMembers(200),
    check: (_s, body) => {
      expect((body as { items: { id: string }[] }).items.length).toBeGreaterThan(0);
    },
  },
  {
    op: 'GET /api/territories/{territoryId}/knowledge/sheets',
    name: 'searching the drafts: their owners only',
    send: async ({ at }) => {
      await insertSheet(at, 'orgX', 'brouillon');
      return { path: `${KB(at)}/sheets?status=brouillon` };
    },
    expect: kbMembers(200),
    check: ({ actor }, body) => {
      const n = (body as { total: number }).total;
      if (actor === 'agentA') expect(n).toBe(0);
      else expect(n).toBeGreaterThan(0);
    },
  },
  {
    op: 'POST /api/territories/{territoryId}/knowledge/sheets',
    name: 'writing a sheet of organisation X',
    mixed: true,
    send: ({ at, w }) => ({ path: `${KB(at)}/sheets`, body: sheetBody(w.orgX.id) }),
    expect: kbOwnersX(201),
  },
  {
    op: 'POST /api/territories/{territoryId}/knowledge/sheets',
    name: 'writing a sheet of the network',
    send: ({ at }) => ({ path: `${KB(at)}/sheets`, body: sheetBody(null) }),
    expect: only({ coordinator: 201 }),
  },
  {
    op: 'GET /api/territories/{territoryId}/knowledge/sheets/{sheetId}',
    name: 'a published sheet',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${KB(at)}/sheets/${(await insertSheet(w)).id}` }),
    expect: kbMembers(200),
  },
  {
    op: 'GET /api/territories/{territoryId}/knowledge/sheets/{sheetId}',
    name: 'a draft of organisation X',
    send: async ({ at }) => ({ path: `${KB(at)}/sheets/${(await insertSheet(at, 'orgX', 'brouillon')).id}` }),
    expect: only({ agentA: 404, referentX: 200, managerX: 200, coordinator: 200 }),
  },
  {
    op: 'PUT /api/territories/{territoryId}/knowledge/sheets/{sheetId}',
    name: 'a new version of a sheet of organisation X',
    mixed: true,
    send: async ({ at, w }) => ({
      path: `${KB(at)}/sheets/${(await insertSheet(w)).id}`,
      body: { ...sheetBody(w.orgX.id), baseVersion: 1 },
    }),
    expect: kbOwnersX(200),
  },
  {
    op: 'POST /api/territories/{territoryId}/knowledge/sheets/{sheetId}/verify',
    name: 'marking a sheet of organisation X as verified',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${KB(at)}/sheets/${(await insertSheet(w)).id}/verify` }),
    expect: kbOwnersX(200),
  },
  {
    op: 'POST /api/territories/{territoryId}/knowledge/sheets/{sheetId}/archive',
    name: 'archiving a sheet of organisation Y',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${KB(at)}/sheets/${(await insertSheet(w, 'orgY')).id}/archive` }),
    expect: only({}),
  },
  {
    op: 'POST /api/territories/{territoryId}/knowledge/sheets/{sheetId}/archive',
    name: 'archiving a sheet of the network',
    send: async ({ at }) => ({ path: `${KB(at)}/sheets/${(await insertSheet(at, null)).id}/archive` }),
    expect: only({ coordinator: 200 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/knowledge/sheets/{sheetId}/feedback',
    name: '« did this sheet answer? »',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${KB(at)}/sheets/${(await insertSheet(w)).id}/feedback`, body: { helpful: true } }),
    expect: kbMembers(204),
  },
  {
    op: 'GET /api/territories/{territoryId}/knowledge/sheets/{sheetId}/versions',
    name: 'the versions of a sheet',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${KB(at)}/sheets/${(await insertSheet(w)).id}/versions` }),
    expect: kbMembers(200),
  },
  {
    op: 'GET /api/territories/{territoryId}/knowledge/sheets/{sheetId}/diff',
    name: 'the differences between two versions',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${KB(at)}/sheets/${(await insertSheet(w)).id}/diff?from=1&to=1` }),
    expect: kbMembers(200),
  },
  {
    op: 'POST /api/territories/{territoryId}/knowledge/sheets/{sheetId}/proposals',
    name: 'proposing a change',
    mixed: true,
    send: async ({ at, w }) => {
      const sheet = await insertSheet(w);
      return {
        path: `${KB(at)}/sheets/${sheet.id}/proposals`,
        body: { baseVersion: 1, title: sheet.title, sections: { steps: '1. Autrement' }, comment: 'Plus clair' },
      };
    },
    expect: kbMembers(201),
  },
  {
    op: 'GET /api/territories/{territoryId}/knowledge/proposals',
    name: 'the proposals: those I review and my own',
    send: async ({ at }) => {
      await insertProposal(at);
      return { path: `${KB(at)}/proposals` };
    },
    expect: kbMembers(200),
    check: ({ actor }, body) => {
      // Organisation X's sheets are reviewed by its referent and manager; the others see only what they proposed.
      const list = body as { can: { review: boolean }; organisation: { id: string } | null }[];
      if (actor === 'referentX' || actor === 'managerX') expect(list.some((p) => p.can.review)).toBe(true);
      else expect(list.filter((p) => p.organisation?.id === T1.orgX.id && p.can.review)).toEqual([]);
      if (actor === 'agentA') expect(list.length).toBeGreaterThan(0);
    },
  },
  {
    op: 'GET /api/territories/{territoryId}/knowledge/proposals/{proposalId}',
    name: 'an agent’s proposal on a sheet of organisation X',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${KB(at)}/proposals/${await insertProposal(w)}` }),
    expect: only({ agentA: 200, referentX: 200, managerX: 200, coordinator: 404 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/knowledge/proposals/{proposalId}/accept',
    name: 'accepting a proposal on a sheet of organisation X',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${KB(at)}/proposals/${await insertProposal(w)}/accept`, body: {} }),
    expect: only({ agentA: 403, referentX: 200, managerX: 200, coordinator: 404 }),
  },
  {
    op: 'POST /api/territories/{territoryId}/knowledge/proposals/{proposalId}/reject',
    name: 'refusing a proposal on a sheet of organisation X',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${KB(at)}/proposals/${await insertProposal(w)}/reject`, body: { comment: 'Non' } }),
    expect: only({ agentA: 403, referentX: 200, managerX: 200, coordinator: 404 }),
  },
  {
    op: 'GET /api/territories/{territoryId}/knowledge/suggestions',
    name: 'sheets suggested in a form',
    send: async ({ at }) => {
      await insertSheet(at);
      return { path: `${KB(at)}/suggestions?themes=famille` };
    },
    expect: kbMembers(200),
  },
  {
    op: 'POST /api/territories/{territoryId}/knowledge/preview',
    name: 'previewing Markdown',
    send: ({ at }) => ({ path: `${KB(at)}/preview`, body: { markdown: '**gras**' } }),
    expect: kbMembers(200),
  },
  {
    op: 'GET /api/territories/{territoryId}/knowledge/owners',
    name: 'whom I write sheets for',
    send: ({ at }) => ({ path: `${KB(at)}/owners` }),
    expect: kbMembers(200),
    check: ({ actor, at }, body) => {
      // Organisations X and Y have their people on Relais: only they write their sheets.
      const owners = (body as { organisationId: string | null }[]).map((o) => o.organisationId);
      if (actor === 'agentA') expect(owners).toEqual([]);
      if (actor === 'referentX' || actor === 'managerX') expect(owners).toEqual([at.orgX.id]);
      if (actor === 'coordinator') {
        expect(owners).toContain(null);
        expect(owners).not.toContain(at.orgX.id);
        expect(owners).not.toContain(at.orgY.id);
      }
    },
  },
  {
    op: 'GET /api/territories/{territoryId}/knowledge/export',
    name: 'exporting the sheets as Markdown',
    send: async ({ at }) => {
      await insertSheet(at);
      return { path: `${KB(at)}/export` };
    },
    expect: kbMembers(200),
  },
  {
    op: 'POST /api/territories/{territoryId}/knowledge/import',
    name: 'importing a sheet of the network',
    send: ({ at }) => ({
      path: `${KB(at)}/import`,
      rawBody: Buffer.from(`---\nslug: import-${fresh()}\ntitle: Fiche importée\n---\n## Étapes\n\n1. Faire\n`),
      headers: { 'content-type': 'text/markdown' },
    }),
    expect: only({ coordinator: 200 }),
  },
  {
    op: 'GET /api/territories/{territoryId}/knowledge/synonyms',
    name: 'the search synonyms',
    send: ({ at }) => ({ path: `${KB(at)}/synonyms` }),
    expect: kbMembers(200),
  },
  {
    op: 'PUT /api/territories/{territoryId}/knowledge/synonyms',
    name: 'the territory’s synonyms',
    send: ({ at }) => ({ path: `${KB(at)}/synonyms`, body: { groups: [['RDV', 'rendez-vous']] } }),
    expect: only({ coordinator: 200 }),
  },
  // The satisfaction survey: links made by the contact point's agents and the coordination; the
  // answers are public (whoever holds the link); the dashboard is for coordinators and agents.
  {
    op: 'POST /api/territories/{territoryId}/observatory/survey-links',
    name: 'a survey link for contact point A',
    mixed: true,
    send: ({ at, w }) => ({ path: `${OBS(at)}/survey-links`, body: { contactPointId: w.cpA.id, context: 'accueil' } }),
    expect: only({ agentA: 201, coordinator: 201 }),
  },
  {
    op: 'GET /api/territories/{territoryId}/observatory/survey-links',
    name: 'the survey posters of contact point A',
    send: async ({ at }) => {
      await insertSurveyLink(at, true);
      return { path: `${OBS(at)}/survey-links?contactPointId=${at.cpA.id}` };
    },
    expect: only({ agentA: 200, coordinator: 200 }),
    check: (_s, body) => expect((body as { items: unknown[] }).items.length).toBeGreaterThan(0),
  },
  {
    op: 'POST /api/territories/{territoryId}/observatory/survey-links/{id}/revoke',
    name: 'revoking a survey poster of contact point A',
    mixed: true,
    send: async ({ at, w }) => ({ path: `${OBS(at)}/survey-links/${(await insertSurveyLink(w, true)).id}/revoke` }),
    expect: only({ agentA: 200, coordinator: 200 }),
  },
  {
    op: 'GET /api/territories/{territoryId}/observatory/satisfaction',
    name: 'the satisfaction dashboard: coordinators and agents, not partners',
    send: ({ at }) => ({ path: `${OBS(at)}/satisfaction` }),
    expect: only({ agentA: 200, coordinator: 200 }),
  },
  {
    op: 'GET /api/public/surveys/{token}',
    name: 'the survey form of a link is public',
    send: async () => ({ path: `/api/public/surveys/${(await insertSurveyLink(T1, false)).token}` }),
    expect: everyone(200),
    check: (_s, body) => expect(body).toMatchObject({ contactPoint: T1.cpA.name }),
  },
  {
    op: 'POST /api/public/surveys/{token}',
    name: 'answering the survey is public',
    send: async () => ({ path: `/api/public/surveys/${(await insertSurveyLink(T1, false)).token}`, body: { satisfaction: 4 } }),
    expect: everyone(201),
  },
  // The public status page: whoever holds the reference and the code, signed in or not.
  {
    op: 'POST /api/public/request-status',
    name: 'the status of a request by its reference and code is public',
    send: async () => {
      const { reference, statusCode } = await insertRequest(T1);
      return { path: '/api/public/request-status', body: { reference, code: statusCode } };
    },
    expect: everyone(200),
    check: (_s, body) => expect(JSON.stringify(body)).not.toContain('Usager'),
  },
];

const WRITE = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
const pattern = (op: string) => new RegExp(`^${op.split(' ')[1]!.replace(/\{[^}]+\}/g, '[^/]+')}(\\?.*)?$`);

/** Every application table's rows, with the columns a mere read refreshes left out. */
async function snapshot(): Promise<Record<string, string>> {
  const tables = await t.ctx.database.pool.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('audit_events', 'sign_in_throttles') ORDER BY 1",
  );
  const row = "(to_jsonb(x) - 'last_seen_at' - 'last_active_at' - 'last_used_at')::text";
  const union = tables.rows
    .map(
      ({ table_name: name }) =>
        `SELECT '${name}' AS t, count(*) || ':' || coalesce(md5(string_agg(${row}, ',' ORDER BY ${row})), '') AS h FROM "${name}" x`,
    )
    .join(' UNION ALL ');
  const result = await t.ctx.database.pool.query<{ t: string; h: string }>(union);
  return Object.fromEntries(result.rows.map((r) => [r.t, r.h]));
}

async function play(row: Row, scene: Scene) {
  const [method] = row.op.split(' ') as [string];
  const req = await row.send(scene);
  expect(req.path, `${row.op}: the row's path does not match its operation`).toMatch(pattern(row.op));
  const before = WRITE.has(method) ? await snapshot() : null;
  const client = req.as ?? clients[scene.actor];
  const headers: Record<string, string> = { ...req.headers, ...(scene.actor === 'tokenX' ? { authorization: `Bearer ${bearerX}` } : {}) };
  const res = await client.request(method, req.path, { body: req.body, rawBody: req.rawBody as unknown as string, headers });
  if (before && res.status >= 400) expect(await snapshot(), `${scene.actor} ${row.op}: a refused write changed rows`).toEqual(before);
  if (res.status >= 400) expect(res.headers.get('content-type')).toContain('application/problem+json');
  return res;
}

beforeAll(async () => {
  t = await createTestApp();
  T1 = await buildWorld(t, 'T1');
  T2 = await buildWorld(t, 'T2');
  admin = await createUser(t.ctx.db, { displayName: 'Administration', isPlatformAdmin: true });
  nobody = await createUser(t.ctx.db, { displayName: 'Sans rôle' });
  bearerX = T1.tokenX.token;
  for (const actor of ACTORS) clients[actor] = isUser(actor) ? await t.signIn(userOf(actor)) : t.client();
}, 120_000);
afterAll(() => t?.close());

describe('authorization matrix', () => {
  it('has a row for every operation of the OpenAPI document, and no row for an operation that is gone', async () => {
    const doc = (await t.client().get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const covered = new Set(rows.map((r) => r.op));
    const missing = operations.filter((op) => !covered.has(op));
    expect(missing, `add these operations to the table in server/test/authorization-matrix.api.test.ts: ${missing.join(', ')}`).toEqual([]);
    expect(
      [...covered].filter((op) => !operations.includes(op)),
      'rows for operations that no longer exist',
    ).toEqual([]);
  });

  describe.each(rows)('$op — $name', (row) => {
    it('answers each actor of its own territory as the table says', async () => {
      const answers: Partial<Record<ActorName, number>> = {};
      for (const actor of ACTORS) {
        const scene = { at: T1, w: T1, actor };
        const res = await play(row, scene);
        answers[actor] = res.status;
        if (res.status < 300 && row.check) row.check(scene, res.body);
      }
      expect(answers).toEqual(row.expect);
    });

    if (row.op.includes('{territoryId}')) {
      it('lets no one but a platform administrator act in another territory', async () => {
        for (const actor of ACTORS) {
          const res = await play(row, { at: T2, w: T2, actor });
          if (actor === 'admin') expect(res.status, 'admin').toBe(row.expect.admin);
          else if (actor === 'anonymous') expect(res.status).toBe(401);
          else expect([403, 404], `${actor} got ${res.status} in another territory`).toContain(res.status);
        }
      });
    }

    if (row.mixed) {
      it('never reaches another territory’s resources through its own territory’s path', async () => {
        for (const actor of ACTORS) {
          const res = await play(row, { at: T1, w: T2, actor });
          expect(res.status, `${actor} got ${res.status}`).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
        }
      });
    }
  });
});

describe('the security journal across territories', () => {
  it('does not show a coordinator the account events of a person from before they joined the territory', async () => {
    const person = await memberOf(T2, { role: 'agent', contactPointId: T2.cpB.id });
    const journal = async () =>
      (
        (await clients.coordinator.get(`${T}/${T1.territory.id}/audit-events?type=auth.sign_in_failed&limit=200`)).body.items as {
          targetId: string;
        }[]
      ).filter((e) => e.targetId === person.id);
    expect((await t.client().post('/api/auth/login', { email: person.email, password: 'pas-le-bon' })).status).toBe(401);
    const invited = await clients.coordinator.post(`${T}/${T1.territory.id}/invitations`, {
      email: person.email,
      displayName: 'Personne',
      role: 'agent',
      contactPointId: T1.cpB.id,
    });
    expect(invited.status).toBe(201);
    expect(await journal()).toEqual([]);
    expect((await t.client().post('/api/auth/login', { email: person.email, password: 'encore-faux' })).status).toBe(401);
    expect(await journal()).toHaveLength(1);
  });
});
