import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokens } from '../modules/accounts/accounts.schema.ts';
import { loadMemberships, openSession, SESSION_COOKIE } from '../modules/accounts/sessions.service.ts';
import { KNOWLEDGE_IMPORT_MAX_BYTES } from '../modules/knowledge/knowledge.routes.ts';
import { IMPORT_BODY_LIMIT } from '../modules/network/import/import.routes.ts';
import { MANDATE_DOCUMENT_BODY_LIMIT } from '../modules/people/mandates.routes.ts';
import { createRequest } from '../modules/requests/requests.service.ts';
import { newSecretToken } from '../platform/crypto.ts';
import { createContactPoint, createOrganisation, createTerritory, createUser } from './factories.ts';
import { createTestApp, type TestApp } from './test-app.ts';

/**
 * Whatever a client sends to a write endpoint — random JSON, unknown keys, wrong types, huge or
 * strange strings, malformed JSON, another content type, an oversize body, random path
 * parameters — Relais answers a problem+json in French with a stable code, never a 5xx, and a
 * refused request writes nothing. The callers are a platform administrator and a coordinator, so
 * requests pass authorization wherever the input is valid enough to get there; the partner API
 * (/api/partner/v1) is called with an API token of the fixture's organisation instead.
 */

const BODY_LIMIT = 65_536;
/** Attachments are raw bytes with their own limit (ATTACHMENT_MAX_MB, 1 MiB here). */
const ATTACHMENT_LIMIT = 1024 * 1024;
const ATTACHMENTS = 'POST /api/territories/{territoryId}/requests/{requestId}/attachments';
const RUNS = 30;
/** Valid bodies there cost a deliberately slow scrypt: fewer runs keep the file under a minute. */
const HASHING = new Set([
  'POST /api/auth/login',
  'POST /api/auth/password-reset/confirm',
  'POST /api/auth/invitations/accept',
  'POST /api/account/password',
]);
let t: TestApp;
let fixture: Awaited<ReturnType<typeof buildFixture>>;
let writeOps: { method: string; path: string; hasBody: boolean }[];

async function buildFixture() {
  const db = t.ctx.db;
  const territory = await createTerritory(db);
  const territoryId = territory.id;
  const cp = await createContactPoint(db, territoryId);
  const org = await createOrganisation(db, territoryId);
  const admin = await createUser(db, { isPlatformAdmin: true });
  const coordinator = await createUser(db, { memberships: [{ territoryId, role: 'coordinator' }] });
  // People the random requests may revoke or reactivate without locking the callers out.
  const agent = await createUser(db, { status: 'deactivated', memberships: [{ territoryId, role: 'agent', contactPointId: cp.id }] });
  const membership = await t.ctx.database.pool.query<{ id: string }>('SELECT id FROM memberships WHERE user_id = $1', [agent.id]);
  // A request from the contact point to the organisation (about no one: its SMS receipt has no number to go to).
  const sender = await createUser(db, { memberships: [{ territoryId, role: 'agent', contactPointId: cp.id }] });
  const senderActor = {
    kind: 'user' as const,
    userId: sender.id,
    sessionId: randomUUID(),
    isPlatformAdmin: false,
    memberships: await loadMemberships(db, sender.id),
  };
  const body = { organisationId: org.id, subject: 'Prime d’activité', description: 'Suspendue depuis octobre.', identifiers: {} };
  const newRequest = async () =>
    (await createRequest(t.ctx, senderActor, territoryId, body, { scope: `user:${sender.id}`, key: undefined }, {})).view;
  const created = { view: await newRequest() };
  const { token, hash } = newSecretToken('rls_');
  await db.insert(apiTokens).values({
    territoryId,
    organisationId: org.id,
    createdBy: coordinator.id,
    name: 'Jeton',
    prefix: token.slice(0, 10),
    tokenHash: hash,
    expiresAt: new Date(Date.now() + 30 * 86_400_000),
  });
  return {
    territory,
    cp,
    org,
    admin,
    coordinator,
    agent,
    sender,
    request: created.view,
    newRequest,
    partnerToken: token,
    realIds: [territoryId, cp.id, org.id, agent.id, membership.rows[0]!.id, created.view.id],
  };
}

/** A valid body per operation: mutating one field of it reaches deeper than a random value would. */
const sheet = { title: 'Fiche du réseau', organisationId: null, themeCodes: ['famille'], sections: { steps: '1. Faire' } };
const templates = (): Record<string, Record<string, unknown>> => ({
  'POST /api/auth/login': { email: 'inconnu@exemple.fr', password: 'pas-le-bon' },
  'POST /api/auth/password-reset': { email: 'inconnu@exemple.fr' },
  'POST /api/auth/password-reset/confirm': { token: 'x'.repeat(40), password: 'Nouveau-mot-de-passe-2026' },
  'POST /api/auth/invitations/accept': { token: 'x'.repeat(40), password: 'Nouveau-mot-de-passe-2026', displayName: 'Camille' },
  'POST /api/account/password': { currentPassword: 'pas-le-bon', newPassword: 'Nouveau-mot-de-passe-2026' },
  'PUT /api/me/notifications': { mode: 'quotidien' },
  'POST /api/territories/{territoryId}/knowledge/sheets': sheet,
  'PUT /api/territories/{territoryId}/knowledge/sheets/{sheetId}': { ...sheet, baseVersion: 1 },
  'POST /api/territories/{territoryId}/knowledge/sheets/{sheetId}/feedback': { helpful: true, context: 'passage' },
  'POST /api/territories/{territoryId}/knowledge/sheets/{sheetId}/proposals': {
    baseVersion: 1,
    title: 'Titre',
    sections: { steps: '1. Faire' },
    comment: 'Plus clair',
  },
  'POST /api/territories/{territoryId}/knowledge/proposals/{proposalId}/accept': { comment: 'Merci' },
  'POST /api/territories/{territoryId}/knowledge/proposals/{proposalId}/reject': { comment: 'Non' },
  'POST /api/territories/{territoryId}/knowledge/preview': { markdown: '**gras**' },
  'PUT /api/territories/{territoryId}/knowledge/synonyms': { groups: [['RDV', 'rendez-vous']] },
  'POST /api/territories': { slug: 'bocage', name: 'Bocage', departmentCode: '61', regionCode: '28' },
  'POST /api/territories/{territoryId}/contact-points': { name: 'Mairie', kind: 'mairie', commune: 'Bellême', inseeCode: '61038' },
  'PATCH /api/territories/{territoryId}/contact-points/{id}': { commune: 'Bellême' },
  'PUT /api/territories/{territoryId}/contact-points/{id}/partners': {
    partners: [{ organisationId: fixture.org.id, note: 'permanence le mardi' }],
  },
  'POST /api/opening-hours/preview': { value: 'Mo-Fr 09:00-12:00; PH off', territoryId: fixture.territory.id },
  'POST /api/territories/{territoryId}/organisations': { name: 'Caisse', acronym: 'CC', nationalCode: 'CAF' },
  'POST /api/territories/{territoryId}/people/duplicates': { firstName: 'Marie', lastName: 'Durand', birthDate: '1984-05-12' },
  'POST /api/territories/{territoryId}/people': {
    firstName: 'Marie',
    lastName: 'Durand',
    birthDate: '1984-05-12',
    nir: '2 84 05 61 123 456 62',
    contactPointId: fixture.cp.id,
    confirmNotDuplicate: true,
  },
  'PATCH /api/territories/{territoryId}/people/{id}': { phone: '02 33 00 00 00', preferredLanguage: 'fr' },
  'POST /api/territories/{territoryId}/people/{id}/reveal': { field: 'nir', reason: 'demande CPAM' },
  'POST /api/territories/{territoryId}/people/{id}/consents': { organisationId: fixture.org.id, how: 'oral' },
  'POST /api/territories/{territoryId}/people/{id}/contact-points': { contactPointId: fixture.cp.id },
  'POST /api/territories/{territoryId}/people/{id}/merge': { duplicateId: fixture.agent.id },
  'POST /api/territories/{territoryId}/people/{id}/erase': { reason: 'Demande de la personne' },
  'POST /api/territories/{territoryId}/people/{id}/mandates': {
    contactPointId: fixture.cp.id,
    scope: { all: false, organisationIds: [fixture.org.id], procedures: [] },
    duration: '6_mois',
    consentMethod: 'telephone',
    consentReference: 'Appel',
  },
  'POST /api/territories/{territoryId}/people/{id}/mandates/sms-challenges': {
    contactPointId: fixture.cp.id,
    scope: { all: true },
    duration: '1_an',
    phone: '06 12 34 56 78',
  },
  'POST /api/territories/{territoryId}/people/{id}/mandates/{mandateId}/renew': {
    duration: '1_an',
    consentMethod: 'code_sms',
    challengeId: fixture.cp.id,
    code: '123456',
  },
  'POST /api/territories/{territoryId}/people/{id}/mandates/{mandateId}/revoke': { reason: 'La personne le demande' },
  'PUT /api/territories/{territoryId}/people/{id}/mandates/{mandateId}/document': {
    fileName: 'mandat.pdf',
    contentBase64: Buffer.from('%PDF-1.7\n').toString('base64'),
  },
  'POST /api/territories/{territoryId}/imports': {
    fileName: 'france-services.csv',
    format: 'anct_csv',
    content: 'MATRICULE,DEPARTEMENT,lib_france_services,lib_com\n1,61,France Services Bellême,Bellême\n',
    dryRun: true,
  },
  'PATCH /api/territories/{territoryId}/organisations/{id}': { description: 'Accueil sur rendez-vous', phone: '3230' },
  'POST /api/territories/{territoryId}/organisations/from-catalogue': { catalogueCode: 'ADIL' },
  'POST /api/territories/{territoryId}/organisations/{organisationId}/referents': { fullName: 'Camille Martin', themes: ['famille'] },
  'PATCH /api/territories/{territoryId}/referents/{id}': { title: 'Conseillère', active: false },
  'POST /api/territories/{territoryId}/contact-points/{id}/bus-stops': {
    commune: 'Bellême',
    inseeCode: '61038',
    place: 'Place de la République',
    date: '2030-06-05',
    startTime: '09:00',
    endTime: '12:00',
  },
  'POST /api/territories/{territoryId}/contact-points/{id}/bus-stops/series': {
    commune: 'Bellême',
    inseeCode: '61038',
    place: 'Place de la République',
    from: '2030-06-01',
    to: '2030-06-30',
    weekday: 'mercredi',
    startTime: '09:00',
    endTime: '12:00',
  },
  'PATCH /api/territories/{territoryId}/bus-stops/{id}': { place: 'Parking', endTime: '12:30' },
  'POST /api/territories/{territoryId}/taxonomy/themes': { code: 'cheque-energie', label: 'Chèque énergie', parentCode: 'logement' },
  'PATCH /api/territories/{territoryId}/taxonomy/themes/{id}': { label: 'Chèque énergie', archived: true },
  'POST /api/territories/{territoryId}/taxonomy/groups': { code: 'social', label: 'Social', sortOrder: 1, themeCodes: ['famille'] },
  'PATCH /api/territories/{territoryId}/taxonomy/groups/{id}': { label: 'Social', themeCodes: ['logement'] },
  'POST /api/territories/{territoryId}/visits': {
    contactPointId: fixture.cp.id,
    channel: 'sur_place',
    organisationIds: [fixture.org.id],
    themeCodes: ['famille'],
    actions: ['information'],
    autonomy: 'avec_aide',
    durationMinutes: 10,
    comment: 'Accueil',
    idempotencyKey: '6f1c1a52-3f4e-4b8a-9d1e-2b7c3a4d5e6f',
  },
  'PATCH /api/territories/{territoryId}/visits/{id}': { durationMinutes: 15, channel: 'telephone', comment: 'Rappel' },
  'POST /api/territories/{territoryId}/api-tokens': { organisationId: fixture.org.id, name: 'Jeton', expiresInDays: 30 },
  'POST /api/territories/{territoryId}/organisations/{organisationId}/webhooks': {
    url: 'https://93.184.215.14/relais',
    events: ['request.created', 'request.status_changed'],
  },
  'PATCH /api/territories/{territoryId}/organisations/{organisationId}/webhooks/{webhookId}': {
    url: 'https://93.184.215.14/relais',
    events: ['ping'],
    active: false,
  },
  'POST /api/territories/{territoryId}/requests': {
    organisationId: fixture.org.id,
    contactPointId: fixture.cp.id,
    subject: 'Prime d’activité suspendue',
    description: 'Justificatifs envoyés le 2 novembre.',
    procedure: 'prime d’activité',
    identifiers: { caf_number: '1234567' },
  },
  'POST /api/territories/{territoryId}/requests/{requestId}/take': { expectedVersion: 1 },
  'POST /api/territories/{territoryId}/requests/{requestId}/assign': { userId: fixture.agent.id, expectedVersion: 1 },
  'POST /api/territories/{territoryId}/requests/{requestId}/messages': { kind: 'message', body: 'Bonjour', attachmentIds: [] },
  'POST /api/territories/{territoryId}/requests/{requestId}/reroute': { organisationId: fixture.org.id, reason: 'Pas pour nous' },
  'POST /api/territories/{territoryId}/requests/{requestId}/invite': { organisationId: fixture.org.id },
  'POST /api/territories/{territoryId}/requests/{requestId}/close': { reason: 'Réglé' },
  'POST /api/territories/{territoryId}/requests/{requestId}/reopen': { reason: 'Nouveau courrier' },
  'POST /api/territories/{territoryId}/requests/{requestId}/rate': { usefulness: 'utile' },
  'POST /api/territories/{territoryId}/requests/{requestId}/archive': {},
  'POST /api/territories/{territoryId}/requests/{requestId}/receipt/sms': {},
  'PUT /api/territories/{territoryId}/organisations/{organisationId}/request-settings': {
    firstAnswerDays: 4,
    followUpDays: 4,
    themeDays: { famille: 6 },
    requiredIdentifiers: ['caf_number'],
    businessHours: 'Mo-Fr 09:00-12:00',
  },
  'POST /api/public/request-status': { reference: 'RLS-2026-000123', code: 'ABCD-EFGH' },
  'POST /api/territories/{territoryId}/observatory/survey-links': { contactPointId: fixture.cp.id, context: 'lieu', channel: 'sur_place' },
  'POST /api/public/surveys/{token}': { satisfaction: 4, resolved: 'oui', listened: 3, recommend: true, comment: 'Merci' },
  // The partner API, called with the organisation's token: a re-route to the same organisation and an
  // assignment to an agent are refused, so the request stays the organisation's.
  'POST /api/partner/v1/requests/{requestId}/messages': { kind: 'reponse', body: 'Dossier réglé.', attachmentIds: [] },
  'POST /api/partner/v1/requests/{requestId}/assign': { userId: fixture.agent.id },
  'POST /api/partner/v1/requests/{requestId}/reroute': { organisationId: fixture.org.id, reason: 'Pas pour nous' },
  'POST /api/partner/v1/requests/{requestId}/close': { reason: 'Réglé' },
  'POST /api/territories/{territoryId}/invitations': {
    email: 'invitee@exemple.fr',
    displayName: 'Camille',
    role: 'agent',
    contactPointId: fixture.cp.id,
  },
});

// Values that have broken servers before: NUL bytes, lone surrogates, numbers out of range...
const strangeString = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFFx',
  '   x   ',
  '<script>',
  "'; DROP TABLE users;--",
  '🙂'.repeat(80),
);
const hugeString = fc.integer({ min: 5_000, max: 30_000 }).map((n) => 'é'.repeat(n));
const strangeNumber = fc.constantFrom(0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.5, Number.MAX_SAFE_INTEGER);
const anyValue = fc.oneof(fc.jsonValue(), strangeString, hugeString, strangeNumber, fc.string({ unit: 'binary' }), fc.constant(null));

const mutate = (template: Record<string, unknown>) =>
  fc
    .tuple(fc.constantFrom(...Object.keys(template), '__proto__', 'constructor', 'champInconnu'), anyValue, fc.boolean())
    .map(([key, value, remove]) => {
      const body: Record<string, unknown> = { ...template };
      if (remove) delete body[key];
      else Object.defineProperty(body, key, { value, enumerable: true, writable: true, configurable: true });
      return JSON.stringify(body);
    });

const anyBody = (op: string) => {
  const template = templates()[op] ?? {};
  return fc.oneof(
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.dictionary(fc.string(), anyValue).map((v) => JSON.stringify(v)),
    mutate(template),
    mutate(template),
  );
};

const pathParam = () =>
  fc.oneof(
    fc.constantFrom(...fixture.realIds),
    fc.uuid(),
    fc.string().map(encodeURIComponent),
    fc.constantFrom('..', '%00', '%2F', '%25', '%zz', '0', '-1', '00000000-0000-0000-0000-000000000000', 'a'.repeat(199), 'a'.repeat(250)),
  );
const concretePath = (path: string) => {
  const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  return fc.tuple(...names.map(() => pathParam())).map((values) => names.reduce((p, name, i) => p.replace(`{${name}}`, values[i]!), path));
};
/** The same path with real identifiers, so the request reaches body parsing and validation. */
const realPath = (path: string) =>
  path
    .replace('{territoryId}', fixture.territory.id)
    .replace('{id}', fixture.cp.id)
    .replace('{requestId}', fixture.request.id)
    .replace(/\{[^}]+\}/g, fixture.agent.id);

/**
 * Every application table's rows (audit_events, sign_in_throttles and status_lookup_throttles are
 * left out: failed sign-ins and failed public status lookups are counted and journaled by design).
 */
let snapshotSql: string;
async function snapshot(): Promise<Record<string, string>> {
  const result = await t.ctx.database.pool.query<{ t: string; h: string }>(snapshotSql);
  return Object.fromEntries(result.rows.map((r) => [r.t, r.h]));
}
async function prepareSnapshot() {
  const tables = await t.ctx.database.pool.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('audit_events', 'sign_in_throttles', 'status_lookup_throttles') ORDER BY 1",
  );
  expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['users', 'memberships', 'territories', 'contact_points']));
  const row = "(to_jsonb(x) - 'last_seen_at' - 'last_active_at' - 'last_used_at')::text";
  snapshotSql = tables.rows
    .map(
      ({ table_name: name }) =>
        `SELECT '${name}' AS t, count(*) || ':' || coalesce(md5(string_agg(${row}, ',' ORDER BY ${row})), '') AS h FROM "${name}" x`,
    )
    .join(' UNION ALL ');
}

const FRENCH = /\b(le|la|les|de|des|du|un|une|est|ce|cette|vous|pas|à|n’|n')\b|[éèàçê]/i;
const SCREAMING_SNAKE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

/** The agent who sent the fixture's request: a party, for the attachment limits only a party reaches. */
type Caller = 'admin' | 'coordinator' | 'sender';
const seen = new Map<string, Set<string>>();

const sessions = new Map<Caller, { token: string; csrfToken: string }>();
/** The caller's session; a new one after a request that may have closed it (sign-out, session revocation). */
async function sessionOf(caller: Caller) {
  let session = sessions.get(caller);
  if (!session) {
    session = await openSession(t.ctx.db, { userId: fixture[caller].id, method: 'password', now: new Date(), ttlMs: 3600_000 });
    sessions.set(caller, session);
  }
  return session;
}

/**
 * Sends one request as the caller (the partner API: as the organisation's token) and checks the
 * answer and that a refusal wrote nothing.
 */
async function send(
  caller: Caller,
  method: string,
  path: string,
  body: string | Buffer | undefined,
  contentType = 'application/json',
  extraHeaders: Record<string, string> = {},
) {
  const session = await sessionOf(caller);
  const before = await snapshot();
  const headers: Record<string, string> = path.startsWith('/api/partner/')
    ? { authorization: `Bearer ${fixture.partnerToken}` }
    : { cookie: `${SESSION_COOKIE}=${session.token}`, 'x-csrf-token': session.csrfToken };
  if (body !== undefined) headers['content-type'] = contentType;
  Object.assign(headers, extraHeaders);
  const res = await t.client().request(method, path, { rawBody: body as string | undefined, headers });
  if (res.status < 300 && /logout|sessions/.test(path)) sessions.delete(caller);
  const what = `${caller} ${method} ${path.slice(0, 120)} ${String(body).slice(0, 200)} → ${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, what).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.headers.get('content-type'), what).toMatch(/^application\/problem\+json/);
    expect(res.body.code, what).toMatch(SCREAMING_SNAKE);
    expect(res.body.status, what).toBe(res.status);
    expect(res.body.detail, what).toMatch(FRENCH);
    for (const e of res.body.errors ?? []) expect(typeof e.path === 'string' && typeof e.message === 'string', what).toBe(true);
    expect(await snapshot(), `${what}: a refused request wrote rows`).toEqual(before);
    const key = `${method} ${path}`;
    if (!seen.has(key)) seen.set(key, new Set());
    seen.get(key)!.add(res.body.code);
  }
  return res;
}

const caller = fc.constantFrom<Caller>('admin', 'coordinator');

beforeAll(async () => {
  t = await createTestApp({ env: { BODY_LIMIT_BYTES: String(BODY_LIMIT), ATTACHMENT_MAX_MB: '1', REQUEST_ATTACHMENTS_MAX_MB: '1' } });
  fixture = await buildFixture();
  await prepareSnapshot();
  const doc = (await t.client().get('/api/openapi.json')).body as {
    paths: Record<string, Record<string, { requestBody?: unknown }>>;
  };
  writeOps = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([m]) => ['post', 'patch', 'put', 'delete'].includes(m))
      .map(([m, op]) => ({ method: m.toUpperCase(), path, hasBody: !!op.requestBody })),
  );
}, 60_000);
afterAll(() => t?.close());

describe('bad input on every write endpoint', () => {
  it('knows the write endpoints of the OpenAPI document', () => {
    expect(writeOps.length).toBeGreaterThanOrEqual(15);
    const unknown = writeOps.filter((op) => op.hasBody && !templates()[`${op.method} ${op.path}`]).map((op) => `${op.method} ${op.path}`);
    expect(unknown, 'give these operations a valid body in templates() of server/test/bad-input.api.test.ts').toEqual([]);
  });

  it('never answers 5xx and writes nothing on refusal, whatever the JSON body and the path parameters', async () => {
    for (const op of writeOps) {
      const key = `${op.method} ${op.path}`;
      await fc.assert(
        fc.asyncProperty(caller, fc.oneof(concretePath(op.path), fc.constant(realPath(op.path))), anyBody(key), async (who, path, body) => {
          await send(who, op.method, path, body);
        }),
        { numRuns: HASHING.has(key) ? RUNS / 2 : RUNS },
      );
    }
    // The bodies reached validation, not only authorization.
    for (const op of writeOps.filter((o) => o.hasBody))
      expect([...(seen.get(`${op.method} ${realPath(op.path)}`) ?? [])], `${op.method} ${op.path}`).toContain('VALIDATION_FAILED');
  }, 240_000);

  it('answers malformed JSON text with 400 MALFORMED_JSON and writes nothing', async () => {
    const malformed = fc.oneof(
      fc.string().filter((s) => {
        try {
          JSON.parse(s);
          return false;
        } catch {
          return true;
        }
      }),
      fc.constantFrom('{', '{"a":', '[1,2', '{"name": "x",}', "{'a': 1}", 'undefined', '{"__proto__": {"x": 1}}', '\u0000'),
    );
    for (const op of writeOps) {
      await fc.assert(
        fc.asyncProperty(caller, malformed, async (who, text) => {
          const res = await send(who, op.method, realPath(op.path), text);
          expect(res.status, `${op.method} ${op.path} ${JSON.stringify(text)}`).toBe(400);
          expect(['MALFORMED_JSON', 'BAD_REQUEST']).toContain(res.body.code);
        }),
        { numRuns: 10 },
      );
    }
  }, 120_000);

  it('answers another content type with 415 and writes nothing', async () => {
    const types = fc.constantFrom(
      'text/plain',
      'text/html; charset=utf-8',
      'application/xml',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
    );
    for (const op of writeOps) {
      // The attachment upload takes the file's bytes as application/octet-stream.
      const refused = `${op.method} ${op.path}` === ATTACHMENTS ? types.filter((type) => type !== 'application/octet-stream') : types;
      await fc.assert(
        fc.asyncProperty(caller, refused, fc.string({ minLength: 1 }), async (who, type, text) => {
          const res = await send(who, op.method, realPath(op.path), text, type);
          expect(res.status).toBe(415);
          expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
        }),
        { numRuns: 5 },
      );
    }
  }, 120_000);

  it('answers a body over BODY_LIMIT_BYTES with 413 and writes nothing', async () => {
    for (const op of writeOps) {
      // The import route carries a file: its own, larger limit.
      const limit = op.path.endsWith('/imports')
        ? IMPORT_BODY_LIMIT
        : op.path.endsWith('/knowledge/import')
          ? KNOWLEDGE_IMPORT_MAX_BYTES
          : op.path.endsWith('/document')
            ? MANDATE_DOCUMENT_BODY_LIMIT
            : `${op.method} ${op.path}` === ATTACHMENTS
              ? ATTACHMENT_LIMIT + 1
              : BODY_LIMIT;
      await fc.assert(
        fc.asyncProperty(caller, fc.integer({ min: limit + 1, max: limit + 3 * BODY_LIMIT }), async (who, size) => {
          const body = JSON.stringify({ name: 'x'.repeat(size) });
          const res = await send(who, op.method, realPath(op.path), body);
          expect(res.status).toBe(413);
          expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
        }),
        { numRuns: 3 },
      );
    }
  }, 120_000);
});

describe('bad input, explicit cases', () => {
  const contactPoints = () => `/api/territories/${fixture.territory.id}/contact-points`;

  it('answers malformed JSON with 400 MALFORMED_JSON in French', async () => {
    const res = await send('coordinator', 'POST', contactPoints(), '{"name": "Mairie",');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'MALFORMED_JSON',
      title: 'Requête invalide',
      detail: "Le corps de la requête n'est pas un JSON valide.",
    });
  });

  it('answers an unknown field with 400 VALIDATION_FAILED naming it in errors[].path', async () => {
    const body = JSON.stringify({ name: 'Mairie de Bellême', kind: 'mairie', commune: 'Bellême', couleur: 'bleu' });
    const res = await send('coordinator', 'POST', contactPoints(), body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: expect.stringMatching(/^body/), message: expect.stringContaining('couleur') }),
    ]);
  });

  it('answers a wrong type with 400 VALIDATION_FAILED and the path of the field', async () => {
    const res = await send('admin', 'POST', contactPoints(), JSON.stringify({ name: 42, kind: 'mairie', commune: 'Bellême' }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'body.name' })]);
  });

  it('answers a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await send('coordinator', 'POST', contactPoints(), JSON.stringify({ name: 'x'.repeat(BODY_LIMIT) }));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', title: 'Requête trop volumineuse' });
  });

  it('answers text/plain with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await send('coordinator', 'POST', contactPoints(), 'name=Mairie', 'text/plain');
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', title: 'Type de contenu non pris en charge' });
  });

  it('answers an undecodable URL and an overlong path parameter with a problem in French', async () => {
    const bad = await send('admin', 'DELETE', '/api/account/sessions/%zz', undefined);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('BAD_URL');
    const long = await send('admin', 'DELETE', `/api/account/sessions/${'a'.repeat(250)}`, undefined);
    expect(long.status).toBe(414);
    expect(long.body.code).toBe('URL_TOO_LONG');
  });

  it('refuses text that PostgreSQL cannot store (a NUL character, a lone surrogate) with 400, not 500', async () => {
    for (const bad of ['\u0000', '\udfff', '\ud800']) {
      const body = JSON.stringify({ name: `Mairie${bad}${randomUUID()}`, kind: 'mairie', commune: 'Bellême' });
      const res = await send('coordinator', 'POST', contactPoints(), body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('TEXT_NOT_STORABLE');
    }
    // The counterexample fast-check found: a lone surrogate in an API token's name (journaled as jsonb).
    const token = await send(
      'admin',
      'POST',
      `/api/territories/${fixture.territory.id}/api-tokens`,
      JSON.stringify({ organisationId: fixture.org.id, name: '\udfffx' }),
    );
    expect(token.body.code).toBe('TEXT_NOT_STORABLE');
  });
});

describe('bad input on requests (saisines), explicit cases', () => {
  const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  // The fixture's request may have been closed by the random requests above: these tests use one of their own.
  let requestId: string;
  beforeAll(async () => {
    requestId = (await fixture.newRequest()).id;
  });
  const requestUrl = () => `/api/territories/${fixture.territory.id}/requests/${requestId}`;
  const upload = (bytes: Buffer | string, contentType = 'application/octet-stream', headers: Record<string, string> = {}) =>
    send('sender', 'POST', `${requestUrl()}/attachments`, bytes, contentType, {
      'x-file-name': encodeURIComponent('avis d’impôt.pdf'),
      ...headers,
    });

  it('takes an attachment as raw bytes: another content type is refused with 415', async () => {
    for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded']) {
      const res = await upload(PDF, type);
      expect(res.status, type).toBe(415);
      expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    // JSON is parsed like anywhere else: the file's bytes are not JSON (400), and a JSON document is no file.
    expect((await upload(PDF, 'application/json')).status).toBe(400);
    expect((await upload('{"contentBase64": "JVBERi0xLjQK"}', 'application/json')).status).toBeGreaterThanOrEqual(400);
    const program = await upload(Buffer.from('MZ\x90\x00 ceci est un programme'));
    expect(program.status).toBe(415);
    expect(program.body.code).toBe('ATTACHMENT_TYPE_REFUSED');
    const ok = await upload(PDF);
    expect(ok.status, ok.text).toBe(201);
  });

  it('refuses an attachment over ATTACHMENT_MAX_MB with 413, whether the server or the file check stops it', async () => {
    const justOver = await upload(Buffer.concat([PDF, Buffer.alloc(ATTACHMENT_LIMIT + 1 - PDF.length)]));
    expect(justOver.status).toBe(413);
    expect(justOver.body.code).toBe('ATTACHMENT_TOO_LARGE');
    const farOver = await upload(Buffer.concat([PDF, Buffer.alloc(2 * ATTACHMENT_LIMIT)]));
    expect(farOver.status).toBe(413);
    expect(farOver.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses an attachment without its name or with a malformed message id with 400', async () => {
    const noName = await send('sender', 'POST', `${requestUrl()}/attachments`, PDF, 'application/octet-stream');
    expect(noName.status).toBe(400);
    expect(noName.body.code).toBe('VALIDATION_FAILED');
    const badMessage = await send('sender', 'POST', `${requestUrl()}/attachments?messageId=abc`, PDF, 'application/octet-stream', {
      'x-file-name': 'a.pdf',
    });
    expect(badMessage.status).toBe(400);
    expect(badMessage.body.errors).toEqual([expect.objectContaining({ path: expect.stringContaining('messageId') })]);
  });

  it('refuses an Idempotency-Key that is too short, too long or not visible ASCII with 400', async () => {
    const create = `/api/territories/${fixture.territory.id}/requests`;
    const body = JSON.stringify({ organisationId: fixture.org.id, subject: 'Objet', description: 'Description' });
    const message = JSON.stringify({ kind: 'message', body: 'Bonjour' });
    for (const key of ['abc', '1234567', 'k'.repeat(101), 'clé-avec-accents', 'deux mots ici']) {
      for (const [path, text] of [
        [create, body],
        [`${requestUrl()}/messages`, message],
      ] as const) {
        const res = await send('sender', 'POST', path, text, 'application/json', { 'idempotency-key': key });
        expect(res.status, `${path} ${key}`).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.errors[0].message).toMatch(/clé d’idempotence/);
      }
    }
  });

  it('refuses malformed request and organisation ids in the path with 400, unknown ones with 404', async () => {
    const T = `/api/territories/${fixture.territory.id}`;
    for (const path of [`${T}/requests/pas-un-uuid/take`, `${T}/requests/${fixture.request.id.slice(0, 30)}/close`]) {
      const res = await send('sender', 'POST', path, '{}');
      expect(res.status, path).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'params.requestId' })]);
    }
    const unknown = await send('sender', 'POST', `${T}/requests/${randomUUID()}/close`, '{}');
    expect(unknown.status).toBe(404);
    const settings = await send('coordinator', 'PUT', `${T}/organisations/123/request-settings`, '{"firstAnswerDays":4,"followUpDays":4}');
    expect(settings.status).toBe(400);
    const reference = await send('sender', 'GET', `${T}/requests/by-reference/ABC-123`, undefined);
    expect(reference.status).toBe(400);
    expect(reference.body.errors[0].message).toContain('RLS-2026-000123');
  });

  it('refuses a request about a person without their consent, and deadlines out of range, naming the field', async () => {
    const T = `/api/territories/${fixture.territory.id}`;
    const body = { organisationId: fixture.org.id, personId: randomUUID(), subject: 'Objet', description: 'Description' };
    const noConsent = await send('sender', 'POST', `${T}/requests`, JSON.stringify(body));
    expect(noConsent.status).toBe(400);
    expect(noConsent.body.errors).toEqual([expect.objectContaining({ path: 'body.consent' })]);
    const days = await send(
      'coordinator',
      'PUT',
      `${T}/organisations/${fixture.org.id}/request-settings`,
      JSON.stringify({ firstAnswerDays: 0, followUpDays: 61 }),
    );
    expect(days.status).toBe(400);
    expect(days.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.firstAnswerDays', 'body.followUpDays']);
  });

  it('answers garbage on the public status page with 400 in French, never 500', async () => {
    for (const garbage of [
      '[]',
      '"RLS-2026-000123"',
      '{"reference": 42, "code": "ABCD-EFGH"}',
      '{"reference": "RLS-2026-000123"}',
      `{"reference": "${'R'.repeat(31)}", "code": "ABCD"}`,
      `{"reference": "RLS-2026-000123", "code": "${'A'.repeat(21)}"}`,
      '{"reference": "RLS-2026-000123", "code": "ABCD-EFGH", "personId": "x"}',
    ]) {
      const res = await send('admin', 'POST', '/api/public/request-status', garbage);
      expect(res.status, garbage).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    const wrong = await send('admin', 'POST', '/api/public/request-status', '{"reference": "RLS-2026-000123", "code": "\\u0000"}');
    expect([400, 404, 429]).toContain(wrong.status);
  });
});
