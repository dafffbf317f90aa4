import { describe, expect, it } from 'vitest';
import { CorrectVisitBody, CreateVisitBody, type VisitView } from '../../../contracts/visits.ts';
import { correctionBody, createBody, draftOf, emptyDraft, localDateTime } from './draft.ts';

const key = '0b8f8a0e-5d1c-4e3a-9b2f-3c4d5e6f7a8b';
const place = '7d0c2a4e-1b3f-4c5d-8e9f-0a1b2c3d4e5f';

describe('the visit sent from the form', () => {
  it('takes the moment of saving when the date was left at now, and leaves an empty comment out', () => {
    const now = new Date('2026-11-24T09:30:00.000Z');
    const body = createBody({ ...emptyDraft(), comment: '   ' }, place, key, now);
    expect(body).toMatchObject({
      contactPointId: place,
      occurredAt: now.toISOString(),
      channel: 'sur_place',
      comment: null,
      idempotencyKey: key,
    });
    expect(CreateVisitBody.safeParse(body).success).toBe(true);
  });

  it('sends the bus stop only for a visit at a bus stop', () => {
    const stop = '1d0c2a4e-1b3f-4c5d-8e9f-0a1b2c3d4e5f';
    expect(createBody({ ...emptyDraft(), channel: 'arret_bus', busStopId: stop }, place, key, new Date()).busStopId).toBe(stop);
    expect(createBody({ ...emptyDraft(), channel: 'telephone', busStopId: stop }, place, key, new Date()).busStopId).toBeNull();
  });

  it('sends the mandate only with the action « Fait sous mandat » and a linked person', () => {
    const person = '2d0c2a4e-1b3f-4c5d-8e9f-0a1b2c3d4e5f';
    const mandate = '3d0c2a4e-1b3f-4c5d-8e9f-0a1b2c3d4e5f';
    const draft = { ...emptyDraft(), personId: person, mandateId: mandate, actions: ['sous_mandat' as const] };
    expect(createBody(draft, place, key, new Date())).toMatchObject({ personId: person, mandateId: mandate });
    expect(createBody({ ...draft, actions: ['information'] }, place, key, new Date()).mandateId).toBeNull();
    expect(createBody({ ...draft, personId: null }, place, key, new Date()).mandateId).toBeNull();
  });

  it('reads a date typed by the agent in the browser’s time zone', () => {
    const typed = localDateTime(new Date(2026, 10, 24, 8, 15));
    expect(typed).toBe('2026-11-24T08:15');
    const body = createBody({ ...emptyDraft(), occurredAt: typed }, place, key, new Date());
    expect(body.occurredAt).toBe(new Date(2026, 10, 24, 8, 15).toISOString());
  });

  it('turns a stored visit into the form and back into a valid correction', () => {
    const visit = {
      occurredAt: new Date(2026, 10, 24, 10, 5).toISOString(),
      channel: 'telephone',
      organisationIds: [place],
      themeCodes: ['famille'],
      actions: ['information'],
      autonomy: 'seul',
      durationMinutes: 10,
      comment: null,
      busStopId: null,
    } as unknown as VisitView;
    const draft = draftOf(visit);
    expect(draft).toMatchObject({ channel: 'telephone', comment: '', occurredAt: '2026-11-24T10:05' });
    const body = correctionBody({ ...draft, durationMinutes: 15 }, visit);
    expect(body).toMatchObject({ occurredAt: visit.occurredAt, durationMinutes: 15, comment: null, themeCodes: ['famille'] });
    expect(CorrectVisitBody.safeParse(body).success).toBe(true);
  });
});
