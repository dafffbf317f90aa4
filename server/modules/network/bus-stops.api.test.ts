import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../test/api-client.ts';
import { createContactPoint, createTerritory, createUser } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const where = { commune: 'Bellême', inseeCode: '61038', place: 'Place de la République' };

async function world(territory: Partial<Parameters<typeof createTerritory>[1]> = {}) {
  const db = t.ctx.db;
  const tr = await createTerritory(db, territory);
  const bus = await createContactPoint(db, tr.id, { kind: 'bus', name: 'Bus France Services du Perche', commune: 'Mortagne-au-Perche' });
  const house = await createContactPoint(db, tr.id, { kind: 'france_services' });
  const coordinatorUser = await createUser(db, { memberships: [{ territoryId: tr.id, role: 'coordinator' }] });
  const agentUser = await createUser(db, { memberships: [{ territoryId: tr.id, role: 'agent', contactPointId: bus.id }] });
  return {
    territory: tr,
    bus,
    house,
    coordinatorUser,
    coordinator: await t.signIn(coordinatorUser),
    agent: await t.signIn(agentUser),
    base: `/api/territories/${tr.id}`,
  };
}

async function journal(client: ApiClient, territoryId: string, type: string) {
  const res = await client.get(`/api/territories/${territoryId}/audit-events?type=${type}`);
  expect(res.status).toBe(200);
  return res.body.items as { type: string; actorUserId: string; targetId: string; data: Record<string, unknown> }[];
}

describe('bus stops', () => {
  it('creates one stop from the territory’s local date and times, journaled', async () => {
    const w = await world();
    const body = {
      ...where,
      date: '2030-01-09',
      startTime: '09:30',
      endTime: '12:00',
      latitude: 48.375,
      longitude: 0.5625,
      note: 'Devant la mairie',
    };
    const res = await w.coordinator.post(`${w.base}/contact-points/${w.bus.id}/bus-stops`, body);
    expect(res.status).toBe(201);
    // Winter in Europe/Paris: UTC+1.
    expect(res.body).toMatchObject({
      ...body,
      startsAt: '2030-01-09T08:30:00.000Z',
      endsAt: '2030-01-09T11:00:00.000Z',
      cancelledAt: null,
      contactPointId: w.bus.id,
    });
    const [event] = await journal(w.coordinator, w.territory.id, 'bus_stop.created');
    expect(event).toMatchObject({ targetId: res.body.id, actorUserId: w.coordinatorUser.id, data: { after: body } });
  });

  it('uses the territory’s own time zone (La Réunion, UTC+4)', async () => {
    const w = await world({ departmentCode: '974', regionCode: '04', timezone: 'Indian/Reunion' });
    const res = await w.coordinator.post(`${w.base}/contact-points/${w.bus.id}/bus-stops`, {
      commune: 'Saint-Pierre',
      inseeCode: '97416',
      place: 'Front de mer',
      date: '2030-07-03',
      startTime: '08:00',
      endTime: '11:00',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ startsAt: '2030-07-03T04:00:00.000Z', date: '2030-07-03', startTime: '08:00', endTime: '11:00' });
  });

  it('creates a weekly series, leaving out public holidays (1 and 8 May 2030 are Wednesdays)', async () => {
    const w = await world();
    const body = { ...where, from: '2030-04-22', to: '2030-05-22', weekday: 'mercredi', startTime: '14:00', endTime: '17:00' };
    const res = await w.coordinator.post(`${w.base}/contact-points/${w.bus.id}/bus-stops/series`, body);
    expect(res.status).toBe(201);
    expect(res.body.created.map((s: { date: string }) => s.date)).toEqual(['2030-04-24', '2030-05-15', '2030-05-22']);
    // Summer time: UTC+2.
    expect(res.body.created[0]).toMatchObject({ startsAt: '2030-04-24T12:00:00.000Z', endsAt: '2030-04-24T15:00:00.000Z' });
    expect(res.body.skipped).toEqual([
      { date: '2030-05-01', reason: 'jour férié : Fête du Travail' },
      { date: '2030-05-08', reason: 'jour férié : Victoire 1945' },
    ]);
    const [event] = await journal(w.coordinator, w.territory.id, 'bus_stop.series_created');
    expect(event).toMatchObject({ targetId: w.bus.id, data: { after: body, dates: ['2030-04-24', '2030-05-15', '2030-05-22'] } });

    const kept = await w.coordinator.post(`${w.base}/contact-points/${w.bus.id}/bus-stops/series`, {
      ...body,
      skipHolidays: false,
      startTime: '09:00',
      endTime: '10:00',
    });
    expect(kept.body.created).toHaveLength(5);
    expect(kept.body.skipped).toEqual([]);
  });

  it('crosses the change to summer time within a series: same wall-clock hours, different UTC offsets', async () => {
    const w = await world();
    const res = await w.coordinator.post(`${w.base}/contact-points/${w.bus.id}/bus-stops/series`, {
      ...where,
      from: '2030-03-25',
      to: '2030-04-03',
      weekday: 'mardi',
      startTime: '09:00',
      endTime: '12:00',
    });
    expect(res.body.created.map((s: { startsAt: string }) => s.startsAt)).toEqual(['2030-03-26T08:00:00.000Z', '2030-04-02T07:00:00.000Z']);
  });

  it('lists upcoming stops to every member, past ones on request, and a date range', async () => {
    const w = await world();
    const path = `${w.base}/contact-points/${w.bus.id}/bus-stops`;
    await w.coordinator.post(path, { ...where, date: '2030-06-05', startTime: '09:00', endTime: '12:00' });
    await w.coordinator.post(path, { ...where, date: '2030-06-12', startTime: '09:00', endTime: '12:00' });
    await w.coordinator.post(path, { ...where, date: '2020-06-10', startTime: '09:00', endTime: '12:00' });
    const upcoming = await w.agent.get(path);
    expect(upcoming.status).toBe(200);
    expect(upcoming.body.map((s: { date: string }) => s.date)).toEqual(['2030-06-05', '2030-06-12']);
    expect((await w.agent.get(`${path}?period=past`)).body.map((s: { date: string }) => s.date)).toEqual(['2020-06-10']);
    expect((await w.agent.get(`${path}?from=2030-06-06&to=2030-06-30`)).body.map((s: { date: string }) => s.date)).toEqual(['2030-06-12']);
    expect((await w.agent.get(`${path}?from=2020-01-01&to=2030-06-05`)).body.map((s: { date: string }) => s.date)).toEqual([
      '2020-06-10',
      '2030-06-05',
    ]);
  });

  it('refuses stops on a contact point that is not a bus or an antenna with 409 CONTACT_POINT_NOT_MOBILE', async () => {
    const w = await world();
    const res = await w.coordinator.post(`${w.base}/contact-points/${w.house.id}/bus-stops`, {
      ...where,
      date: '2030-06-05',
      startTime: '09:00',
      endTime: '12:00',
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('CONTACT_POINT_NOT_MOBILE');
    expect(res.body.detail).toMatch(/bus itinérants et les antennes/);
    const series = await w.coordinator.post(`${w.base}/contact-points/${w.house.id}/bus-stops/series`, {
      ...where,
      from: '2030-06-01',
      to: '2030-06-30',
      weekday: 'lundi',
      startTime: '09:00',
      endTime: '12:00',
    });
    expect(series.body.code).toBe('CONTACT_POINT_NOT_MOBILE');
    expect((await w.agent.get(`${w.base}/contact-points/${w.house.id}/bus-stops`)).body.code).toBe('CONTACT_POINT_NOT_MOBILE');
    const antenna = await createContactPoint(t.ctx.db, w.territory.id, { kind: 'antenne' });
    expect(
      (
        await w.coordinator.post(`${w.base}/contact-points/${antenna.id}/bus-stops`, {
          ...where,
          date: '2030-06-05',
          startTime: '09:00',
          endTime: '12:00',
        })
      ).status,
    ).toBe(201);
  });

  it('validates times, the INSEE code, coordinates and the series’ dates', async () => {
    const w = await world();
    const path = `${w.base}/contact-points/${w.bus.id}/bus-stops`;
    const cases: [Record<string, unknown>, string][] = [
      [{ ...where, date: '2030-06-05', startTime: '12:00', endTime: '09:00' }, 'body.endTime'],
      [{ ...where, date: '2030-06-05', startTime: '09:00', endTime: '09:00' }, 'body.endTime'],
      [{ ...where, date: '2030-06-05', startTime: '9h', endTime: '12:00' }, 'body.startTime'],
      [{ ...where, date: '2030-02-30', startTime: '09:00', endTime: '12:00' }, 'body.date'],
      [{ ...where, inseeCode: '6103', date: '2030-06-05', startTime: '09:00', endTime: '12:00' }, 'body.inseeCode'],
      [{ commune: 'Bellême', place: 'Place', date: '2030-06-05', startTime: '09:00', endTime: '12:00' }, 'body.inseeCode'],
      [{ ...where, latitude: 48.3, date: '2030-06-05', startTime: '09:00', endTime: '12:00' }, 'body.longitude'],
    ];
    for (const [body, field] of cases) {
      const res = await w.coordinator.post(path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    const backwards = await w.coordinator.post(`${path}/series`, {
      ...where,
      from: '2030-06-30',
      to: '2030-06-01',
      weekday: 'lundi',
      startTime: '09:00',
      endTime: '12:00',
    });
    expect(backwards.body.errors.map((e: { path: string }) => e.path)).toContain('body.to');
    const empty = await w.coordinator.post(`${path}/series`, {
      ...where,
      from: '2030-06-03',
      to: '2030-06-04',
      weekday: 'vendredi',
      startTime: '09:00',
      endTime: '12:00',
    });
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('BUS_SERIES_EMPTY');
    expect(await journal(w.coordinator, w.territory.id, 'bus_stop.created')).toEqual([]);
  });

  it('updates and cancels a stop, journaled with before and after; agents may not', async () => {
    const w = await world();
    const stop = (
      await w.coordinator.post(`${w.base}/contact-points/${w.bus.id}/bus-stops`, {
        ...where,
        date: '2030-06-05',
        startTime: '09:00',
        endTime: '12:00',
      })
    ).body;
    expect((await w.agent.patch(`${w.base}/bus-stops/${stop.id}`, { place: 'Ailleurs' })).status).toBe(403);
    expect((await w.agent.post(`${w.base}/bus-stops/${stop.id}/cancel`)).status).toBe(403);

    const moved = await w.coordinator.patch(`${w.base}/bus-stops/${stop.id}`, { endTime: '12:30', place: 'Parking de la salle des fêtes' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      startTime: '09:00',
      endTime: '12:30',
      endsAt: '2030-06-05T10:30:00.000Z',
      place: 'Parking de la salle des fêtes',
    });
    const inverted = await w.coordinator.patch(`${w.base}/bus-stops/${stop.id}`, { startTime: '13:00' });
    expect(inverted.status).toBe(400);
    expect(inverted.body.code).toBe('BUS_STOP_INTERVAL_INVALID');
    const [updated] = await journal(w.coordinator, w.territory.id, 'bus_stop.updated');
    expect(updated).toMatchObject({
      targetId: stop.id,
      data: {
        before: { endTime: '12:00', place: 'Place de la République' },
        after: { endTime: '12:30', place: 'Parking de la salle des fêtes' },
      },
    });

    const cancelled = await w.coordinator.post(`${w.base}/bus-stops/${stop.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.cancelledAt).toEqual(expect.any(String));
    expect((await w.coordinator.post(`${w.base}/bus-stops/${stop.id}/cancel`)).body.code).toBe('BUS_STOP_CANCELLED');
    expect((await w.coordinator.patch(`${w.base}/bus-stops/${stop.id}`, { place: 'Ailleurs' })).body.code).toBe('BUS_STOP_CANCELLED');
    const [event] = await journal(w.coordinator, w.territory.id, 'bus_stop.cancelled');
    expect(event).toMatchObject({
      targetId: stop.id,
      data: { before: { cancelledAt: null }, after: { cancelledAt: cancelled.body.cancelledAt } },
    });
    // A cancelled stop still shows in the list, marked.
    const listed = (await w.agent.get(`${w.base}/contact-points/${w.bus.id}/bus-stops`)).body;
    expect(listed).toEqual([expect.objectContaining({ id: stop.id, cancelledAt: cancelled.body.cancelledAt })]);
  });

  it('keeps territories apart', async () => {
    const w = await world();
    const other = await world();
    const theirs = (
      await other.coordinator.post(`${other.base}/contact-points/${other.bus.id}/bus-stops`, {
        ...where,
        date: '2030-06-05',
        startTime: '09:00',
        endTime: '12:00',
      })
    ).body;
    expect((await w.coordinator.get(`${other.base}/contact-points/${other.bus.id}/bus-stops`)).status).toBe(403);
    expect((await w.coordinator.get(`${w.base}/contact-points/${other.bus.id}/bus-stops`)).status).toBe(404);
    expect((await w.coordinator.post(`${w.base}/bus-stops/${theirs.id}/cancel`)).status).toBe(404);
    expect((await w.coordinator.patch(`${w.base}/bus-stops/${theirs.id}`, { place: 'Volé' })).status).toBe(404);
  });
});
