import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SATISFACTION_DEFINITION } from '../../../contracts/observatory.ts';
import { fixedClock } from '../../platform/clock.ts';
import { hashToken } from '../../platform/crypto.ts';
import { ApiClient } from '../../test/api-client.ts';
import { type MailCatcher, startMailCatcher } from '../../test/mail-catcher.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { busStops } from '../network/network.schema.ts';
import { people } from '../people/people.schema.ts';
import { requestWorld, type World } from '../requests/requests.fixtures.ts';
import { requestEvents } from '../requests/requests.schema.ts';
import { surveyLinks, surveyResponses } from './observatory.schema.ts';
import { STANDING_ANSWERS_PER_HOUR, standingToken } from './surveys.service.ts';

const START = new Date('2026-11-30T10:00:00Z');
const clock = fixedClock(START);
let t: TestApp;
let w: World;
let anonymous: ApiClient;
const links = () => `/api/territories/${w.tid}/observatory/survey-links`;
const dashboard = (q = '') => `/api/territories/${w.tid}/observatory/satisfaction${q}`;
const publicUrl = (token: string) => `/api/public/surveys/${token}`;
const answer = { satisfaction: 4, resolved: 'oui', listened: 4, recommend: true };

let mail: MailCatcher;

beforeAll(async () => {
  mail = await startMailCatcher();
  t = await createTestApp({ clock, env: { SMTP_URL: mail.url } });
  w = await requestWorld(t);
  anonymous = new ApiClient(t.baseUrl);
}, 120_000);
afterAll(async () => {
  await t?.close();
  await mail?.close();
});

describe('receipt links (one answer)', () => {
  it('creates a link with its QR code, shows the form, takes one answer and refuses a second', async () => {
    const created = await w.c.agentA.post(links(), { contactPointId: w.cpA.id, context: 'accueil', channel: 'sur_place' });
    expect(created.status).toBe(201);
    const link = created.body;
    expect(link.multiUse).toBe(false);
    expect(link.url).toBe(`${t.baseUrl}/avis/${link.token}`);
    expect(Buffer.from(link.token, 'base64url')).toHaveLength(16);
    expect(link.qrSvg).toMatch(/^<svg[^>]*>[\s\S]*<path/);
    expect(new Date(link.expiresAt).getTime() - START.getTime()).toBe(30 * 86_400_000);
    const [row] = await t.ctx.db.select().from(surveyLinks).where(eq(surveyLinks.id, link.id));
    expect(row!.tokenHash).toBe(hashToken(link.token));
    expect(JSON.stringify(row)).not.toContain(link.token);

    const shown = await anonymous.get(publicUrl(link.token));
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual({ contactPoint: w.cpA.name, commune: w.cpA.commune, context: 'accueil', busStop: null });
    const first = await anonymous.post(publicUrl(link.token), { ...answer, comment: '  Très bon accueil  ' });
    expect(first.status).toBe(201);
    const [stored] = await t.ctx.db.select().from(surveyResponses).where(eq(surveyResponses.comment, 'Très bon accueil'));
    expect(stored).toMatchObject({
      satisfaction: 4,
      resolved: 'oui',
      listened: 4,
      recommend: true,
      context: 'accueil',
      channel: 'sur_place',
    });
    const second = await anonymous.post(publicUrl(link.token), answer);
    expect(second.status).toBe(410);
    expect(second.body.code).toBe('SURVEY_LINK_USED');
    expect((await anonymous.get(publicUrl(link.token))).body.code).toBe('SURVEY_LINK_USED');
    const [after] = await t.ctx.db.select().from(surveyLinks).where(eq(surveyLinks.id, link.id));
    expect(after!.answers).toBe(1);
  });

  it('answers only once when two answers race on the same link', async () => {
    const link = (await w.c.agentA.post(links(), { contactPointId: w.cpA.id, context: 'accueil' })).body;
    const results = await Promise.all([1, 2, 3].map(() => new ApiClient(t.baseUrl).post(publicUrl(link.token), { satisfaction: 2 })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 410, 410]);
  });

  it('refuses an expired link (410) and an unknown one (404)', async () => {
    const link = (await w.c.coordinator.post(links(), { contactPointId: w.cpB.id, context: 'accueil' })).body;
    clock.set(new Date(START.getTime() + 31 * 86_400_000));
    try {
      const expired = await anonymous.post(publicUrl(link.token), answer);
      expect(expired.status).toBe(410);
      expect(expired.body.code).toBe('SURVEY_LINK_EXPIRED');
      expect((await anonymous.get(publicUrl(link.token))).status).toBe(410);
    } finally {
      clock.set(START);
    }
    const unknown = await anonymous.get(publicUrl('AAAAAAAAAAAAAAAAAAAAAA'));
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('SURVEY_LINK_UNKNOWN');
  });

  it('lets only the contact point’s agents and the coordinators create links', async () => {
    expect((await w.c.agentB.post(links(), { contactPointId: w.cpA.id, context: 'accueil' })).status).toBe(403);
    expect((await w.c.referent1.post(links(), { contactPointId: w.cpA.id, context: 'accueil' })).status).toBe(403);
    expect((await w.c.otherCoordinator.post(links(), { contactPointId: w.cpA.id, context: 'accueil' })).status).toBe(403);
    expect((await anonymous.post(links(), { contactPointId: w.cpA.id, context: 'accueil' })).status).toBe(401);
  });
});

describe('standing links (counter and bus stop)', () => {
  it('derives a reprintable token, counts answers, throttles per hour and stops when revoked', async () => {
    const created = await w.c.agentA.post(links(), { contactPointId: w.cpA.id, context: 'lieu' });
    expect(created.status).toBe(201);
    const link = created.body;
    expect(link).toMatchObject({ multiUse: true, expiresAt: null, channel: 'sur_place' });
    expect(link.token).toBe(standingToken(t.ctx.config.secretKey, link.id));
    for (let i = 0; i < STANDING_ANSWERS_PER_HOUR; i++)
      expect((await anonymous.post(publicUrl(link.token), { satisfaction: 1 + (i % 4) })).status).toBe(201);
    const throttled = await anonymous.post(publicUrl(link.token), answer);
    expect(throttled.status).toBe(429);
    expect(throttled.body.code).toBe('SURVEY_THROTTLED');
    clock.set(new Date(START.getTime() + 61 * 60_000));
    try {
      expect((await anonymous.post(publicUrl(link.token), answer)).status).toBe(201);
    } finally {
      clock.set(START);
    }
    const listed = await w.c.agentA.get(`${links()}?contactPointId=${w.cpA.id}`);
    expect(listed.status).toBe(200);
    const mine = listed.body.items.find((l: { id: string }) => l.id === link.id);
    expect(mine).toMatchObject({ url: link.url, token: link.token, qrSvg: link.qrSvg, answers: STANDING_ANSWERS_PER_HOUR + 1 });
    // Receipt links are not listed; agent B sees none of contact point A's posters.
    expect(listed.body.items.every((l: { multiUse: boolean }) => l.multiUse)).toBe(true);
    expect((await w.c.agentB.get(links())).body.items.some((l: { id: string }) => l.id === link.id)).toBe(false);
    expect((await w.c.agentB.get(`${links()}?contactPointId=${w.cpA.id}`)).status).toBe(403);
    expect((await w.c.agentB.post(`${links()}/${link.id}/revoke`)).status).toBe(403);

    const revoked = await w.c.coordinator.post(`${links()}/${link.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toBeTruthy();
    const refused = await anonymous.post(publicUrl(link.token), answer);
    expect(refused.status).toBe(410);
    expect(refused.body.code).toBe('SURVEY_LINK_EXPIRED');
  });

  it('makes a bus-stop poster for a stop of the contact point’s round', async () => {
    const [stop] = await t.ctx.db
      .insert(busStops)
      .values({
        territoryId: w.tid,
        contactPointId: w.cpA.id,
        commune: 'Bellavilliers',
        place: 'place de l’église',
        startsAt: new Date('2026-12-02T08:00:00Z'),
        endsAt: new Date('2026-12-02T11:00:00Z'),
      })
      .returning();
    const missing = await w.c.agentA.post(links(), { contactPointId: w.cpA.id, context: 'arret_bus' });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('SURVEY_BUS_STOP_REQUIRED');
    const elsewhere = await w.c.coordinator.post(links(), { contactPointId: w.cpB.id, context: 'arret_bus', busStopId: stop!.id });
    expect(elsewhere.body.code).toBe('SURVEY_BUS_STOP_UNKNOWN');
    const created = await w.c.agentA.post(links(), { contactPointId: w.cpA.id, context: 'arret_bus', busStopId: stop!.id });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ busStop: 'Bellavilliers — place de l’église', channel: 'arret_bus', multiUse: true });
    expect((await anonymous.get(publicUrl(created.body.token))).body.busStop).toBe('Bellavilliers — place de l’église');
    expect((await anonymous.post(publicUrl(created.body.token), answer)).status).toBe(201);
    const [resp] = await t.ctx.db.select().from(surveyResponses).where(eq(surveyResponses.busStopId, stop!.id));
    expect(resp).toMatchObject({ context: 'arret_bus', channel: 'arret_bus', contactPointId: w.cpA.id, answeredOn: '2026-11-30' });
  });
});

describe('anonymity', () => {
  it('keeps no link, visit, request or person in the answers, and only the day', async () => {
    const columnsOf = async (table: string) =>
      (
        await t.ctx.db.execute<{ column_name: string }>(
          sql`SELECT column_name FROM information_schema.columns WHERE table_name = ${table} ORDER BY column_name`,
        )
      ).rows.map((r) => r.column_name);
    const columns = await columnsOf('survey_responses');
    expect(columns).toContain('answered_on');
    for (const c of columns) expect(c).not.toMatch(/link|token|visit|request|person|user|created|_at$/);
    const linkCols = await columnsOf('survey_links');
    expect(linkCols).toContain('token_hash');
    for (const c of linkCols) expect(c).not.toMatch(/visit|request|person|user/);
    const ids = (await t.ctx.db.select({ id: surveyLinks.id }).from(surveyLinks)).map((r) => r.id);
    const all = JSON.stringify(await t.ctx.db.select().from(surveyResponses));
    for (const id of ids) expect(all).not.toContain(id);
  });
});

describe('closed requests', () => {
  it('shows « Donnez votre avis » on the public status page only once the request is closed, the same link each time', async () => {
    const sent = await w.send();
    expect(sent.status).toBe(201);
    const lookup = () => anonymous.post('/api/public/request-status', { reference: sent.body.reference, code: sent.body.statusCode });
    const open = await lookup();
    expect(open.status).toBe(200);
    expect(open.body.surveyUrl).toBeNull();
    expect((await w.c.agentA.post(`${w.base}/${sent.body.id}/close`, { reason: 'Réglé' })).status).toBe(200);
    const closed = await lookup();
    expect(closed.body.surveyUrl).toMatch(new RegExp(`^${t.baseUrl}/avis/[A-Za-z0-9_-]{43}$`));
    expect((await lookup()).body.surveyUrl).toBe(closed.body.surveyUrl);
    const token = closed.body.surveyUrl.split('/avis/')[1];
    const [row] = await t.ctx.db
      .select()
      .from(surveyLinks)
      .where(eq(surveyLinks.tokenHash, hashToken(token)));
    expect(row).toMatchObject({ context: 'saisine', contactPointId: w.cpA.id, multiUse: false });
    expect(JSON.stringify(row)).not.toContain(sent.body.id);
    expect((await anonymous.get(publicUrl(token))).body.context).toBe('saisine');
    expect((await anonymous.post(publicUrl(token), answer)).status).toBe(201);
    expect((await anonymous.post(publicUrl(token), answer)).status).toBe(410);
    expect((await lookup()).body.surveyUrl).toBe(closed.body.surveyUrl);
  });
});

describe('closed requests: the invitation by email', () => {
  it('emails the survey link once, at the first closing, to a person whose file has an address, naming neither subject nor partner', async () => {
    const sent = await w.send();
    expect(sent.status).toBe(201);
    // Without an address on the file: closed, no email.
    expect((await w.c.agentA.post(`${w.base}/${sent.body.id}/close`, { reason: 'Réglé' })).status).toBe(200);
    const address = `josiane.${sent.body.reference.toLowerCase()}@exemple.fr`;
    await t.ctx.db.update(people).set({ email: address }).where(eq(people.id, w.personId));
    const second = await w.send();
    expect((await w.c.agentA.post(`${w.base}/${second.body.id}/close`, { reason: 'Réglé' })).status).toBe(200);
    const invitation = await mail.waitFor((m) => m.recipients.includes(address));
    expect(invitation.subject).toBe(`Votre demande ${second.body.reference} est close : donnez votre avis`);
    const status = await anonymous.post('/api/public/request-status', { reference: second.body.reference, code: second.body.statusCode });
    expect(invitation.text).toContain(status.body.surveyUrl);
    expect(invitation.text).toContain(w.cpA.name);
    expect(invitation.text).not.toContain(w.caf.name);
    expect(invitation.text).not.toContain(second.body.subject);
    // Reopened and closed again: no second invitation.
    expect((await w.c.agentA.post(`${w.base}/${second.body.id}/reopen`, { reason: 'Un document manque' })).status).toBe(200);
    expect((await w.c.agentA.post(`${w.base}/${second.body.id}/close`, { reason: 'Réglé' })).status).toBe(200);
    const closings = await t.ctx.db
      .select({ data: requestEvents.data })
      .from(requestEvents)
      .where(and(eq(requestEvents.requestId, second.body.id), eq(requestEvents.kind, 'closed')))
      .orderBy(requestEvents.id);
    expect(closings.map((e) => (e.data as { surveySent: boolean }).surveySent)).toEqual([true, false]);
    const shown = await w.c.referent1.get(`${w.base}/${second.body.id}`);
    expect(JSON.stringify(shown.body)).toContain('questionnaire de satisfaction envoyé par courriel à l’usager');
    expect(JSON.stringify(shown.body)).not.toContain(address);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(mail.messages.filter((m) => m.recipients.includes(address))).toHaveLength(1);
    expect(mail.messages.some((m) => m.text.includes(sent.body.reference))).toBe(false);
    const token = status.body.surveyUrl.split('/avis/')[1];
    expect((await anonymous.post(publicUrl(token), answer)).status).toBe(201);
  });
});

describe('satisfaction dashboard', () => {
  it('counts the answers by contact point, channel, context and month, with the definition and the previous year', async () => {
    await t.ctx.db.execute(sql`DELETE FROM survey_responses WHERE territory_id = ${w.tid}`);
    const rows = [
      // 2026-10: cpA 3 satisfied of 4 on site; cpB 1 of 2 by phone.
      ...[4, 4, 3, 1].map((s) => ({ cp: w.cpA.id, day: '2026-10-15', s, channel: 'sur_place', context: 'lieu' as const })),
      ...[3, 2].map((s) => ({ cp: w.cpB.id, day: '2026-10-31', s, channel: 'telephone', context: 'accueil' as const })),
      // 2025-10 (previous year): cpA 2 answers.
      ...[4, 1].map((s) => ({ cp: w.cpA.id, day: '2025-10-03', s, channel: 'sur_place', context: 'lieu' as const })),
      // Outside both periods.
      { cp: w.cpA.id, day: '2024-01-10', s: 1, channel: 'sur_place', context: 'lieu' as const },
    ];
    await t.ctx.db.insert(surveyResponses).values(
      rows.map((r, i) => ({
        territoryId: w.tid,
        contactPointId: r.cp,
        channel: r.channel,
        context: r.context,
        answeredOn: r.day,
        satisfaction: r.s,
        resolved: i % 2 ? 'oui' : 'non',
        recommend: r.s >= 3,
        comment: i === 0 ? 'Merci à Sandrine' : null,
      })),
    );
    const res = await w.c.coordinator.get(dashboard('?from=2026-01&to=2026-12'));
    expect(res.status).toBe(200);
    const d = res.body;
    expect(d.definition).toBe(SATISFACTION_DEFINITION);
    expect(d.period).toMatchObject({ from: '2026-01', to: '2026-12', months: 12, previousFrom: '2025-01', previousTo: '2025-12' });
    expect(d.answers).toBe(6);
    expect(d.satisfiedShare).toBeCloseTo(4 / 6);
    expect(d.resolvedShare).toBeCloseTo(3 / 6);
    expect(d.recommendShare).toBeCloseTo(4 / 6);
    expect(d.bySatisfaction.map((b: { code: string; count: number; previous: number }) => [b.code, b.count, b.previous])).toEqual([
      ['4', 2, 1],
      ['3', 2, 0],
      ['2', 1, 0],
      ['1', 1, 1],
    ]);
    expect(d.byContactPoint).toEqual([
      { code: w.cpA.id, label: w.cpA.name, count: 4, previous: 2, share: 4 / 6, satisfiedShare: 0.75 },
      { code: w.cpB.id, label: w.cpB.name, count: 2, previous: 0, share: 2 / 6, satisfiedShare: 0.5 },
    ]);
    expect(d.byChannel.map((b: { label: string; count: number }) => [b.label, b.count])).toEqual([
      ['Sur place', 4],
      ['Téléphone', 2],
    ]);
    expect(d.byContext.map((b: { code: string; count: number }) => [b.code, b.count])).toEqual([
      ['lieu', 4],
      ['accueil', 2],
    ]);
    expect(d.byMonth).toHaveLength(12);
    expect(d.byMonth[9]).toEqual({ month: '2026-10', answers: 6, satisfiedShare: 4 / 6 });
    expect(d.byMonth[0]).toEqual({ month: '2026-01', answers: 0, satisfiedShare: null });
    expect(d.comments).toEqual([{ answeredOn: '2026-10-15', contactPoint: w.cpA.name, comment: 'Merci à Sandrine' }]);

    const none = (await w.c.coordinator.get(dashboard('?from=2026-01&to=2026-12&compare=aucune'))).body;
    expect(none.period.previousFrom).toBeNull();
    expect(none.byContactPoint[0].previous).toBeNull();

    // An agent sees their own contact point only.
    const agent = (await w.c.agentB.get(dashboard('?from=2026-01&to=2026-12'))).body;
    expect(agent.answers).toBe(2);
    expect(agent.byContactPoint.map((b: { code: string }) => b.code)).toEqual([w.cpB.id]);
    expect(agent.comments).toEqual([]);
    const outside = await w.c.agentB.get(dashboard(`?contactPointId=${w.cpA.id}`));
    expect(outside.status).toBe(403);
    expect(outside.body.code).toBe('OBSERVATORY_OUT_OF_SCOPE');
    const filtered = (await w.c.coordinator.get(dashboard(`?from=2026-10&to=2026-10&contactPointId=${w.cpA.id}`))).body;
    expect(filtered.answers).toBe(4);
  });

  it('refuses partners and other territories', async () => {
    const partner = await w.c.referent1.get(dashboard());
    expect(partner.status).toBe(403);
    expect(partner.body.code).toBe('OBSERVATORY_OUT_OF_SCOPE');
    expect((await w.c.otherCoordinator.get(dashboard())).status).toBe(403);
    expect((await anonymous.get(dashboard())).status).toBe(401);
  });
});

describe('bad input', () => {
  it('answers 400 with a clear code, never a 500', async () => {
    const link = (await w.c.agentA.post(links(), { contactPointId: w.cpA.id, context: 'accueil' })).body;
    for (const body of [
      { satisfaction: 5 },
      {},
      { satisfaction: 3, resolved: 'peut-etre' },
      { satisfaction: 3, comment: 'x'.repeat(501) },
      { satisfaction: 3, listened: 0 },
      { satisfaction: 3, extra: true },
      { satisfaction: 3, comment: 'a\u0000b' },
    ]) {
      const res = await anonymous.post(publicUrl(link.token), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await anonymous.get(publicUrl('not a token!'))).status).toBe(400);
    expect((await anonymous.get(publicUrl(link.token))).status).toBe(200);
    for (const body of [
      { contactPointId: w.cpA.id, context: 'saisine' },
      { contactPointId: 'x', context: 'accueil' },
      { contactPointId: w.cpA.id, context: 'accueil', channel: 'pigeon' },
      { contactPointId: w.cpA.id, context: 'lieu', busStopId: w.cpB.id },
    ])
      expect((await w.c.coordinator.post(links(), body)).status, JSON.stringify(body)).toBe(400);
    expect((await w.c.coordinator.get(dashboard('?from=2026-13'))).status).toBe(400);
    expect((await w.c.coordinator.get(dashboard('?from=2026-05&to=2026-01'))).body.code).toBe('OBSERVATORY_PERIOD_INVALID');
  });
});
