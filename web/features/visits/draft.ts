import type { CorrectVisitBody, CreateVisitBody, VisitView } from '../../../contracts/visits.ts';
import type { Action, Autonomy, Channel } from './labels.ts';

/** What the agent typed; `occurredAt` (a datetime-local value) is null while left at "now". */
export interface VisitDraft {
  channel: Channel;
  organisationIds: string[];
  themeCodes: string[];
  actions: Action[];
  autonomy: Autonomy | null;
  durationMinutes: number | null;
  comment: string;
  occurredAt: string | null;
  /** For a bus or an antenna met at one of its stops. */
  busStopId: string | null;
  /** The person file the visit is linked to (opened from their file), and the mandate used (action sous_mandat). */
  personId: string | null;
  mandateId: string | null;
}

export const emptyDraft = (): VisitDraft => ({
  channel: 'sur_place',
  organisationIds: [],
  themeCodes: [],
  actions: [],
  autonomy: null,
  durationMinutes: null,
  comment: '',
  occurredAt: null,
  busStopId: null,
  personId: null,
  mandateId: null,
});

/** A datetime-local value ("2026-11-24T14:05") for a date, in the browser's time zone. */
export function localDateTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

const fields = (draft: VisitDraft) => ({
  channel: draft.channel,
  organisationIds: draft.organisationIds,
  themeCodes: draft.themeCodes,
  actions: draft.actions,
  autonomy: draft.autonomy,
  durationMinutes: draft.durationMinutes,
  comment: draft.comment.trim() || null,
  busStopId: draft.channel === 'arret_bus' ? draft.busStopId : null,
  personId: draft.personId,
  mandateId: draft.personId && draft.actions.includes('sous_mandat') ? draft.mandateId : null,
});

/** The body of a new visit; a date and time left at "now" is the moment it is saved. */
export function createBody(draft: VisitDraft, contactPointId: string, idempotencyKey: string, now: Date): CreateVisitBody {
  return {
    contactPointId,
    occurredAt: (draft.occurredAt ? new Date(draft.occurredAt) : now).toISOString(),
    ...fields(draft),
    idempotencyKey,
  };
}

/** The form's draft for a stored visit. */
export const draftOf = (visit: VisitView): VisitDraft => ({
  channel: visit.channel,
  organisationIds: visit.organisationIds,
  themeCodes: visit.themeCodes,
  actions: visit.actions,
  autonomy: visit.autonomy,
  durationMinutes: visit.durationMinutes,
  comment: visit.comment ?? '',
  occurredAt: localDateTime(new Date(visit.occurredAt)),
  busStopId: visit.busStopId,
  personId: visit.personId ?? null,
  mandateId: visit.mandateId ?? null,
});

/** The correction of a stored visit: every field of the form, as it now stands. */
export function correctionBody(draft: VisitDraft, visit: VisitView): CorrectVisitBody {
  return { occurredAt: new Date(draft.occurredAt ?? visit.occurredAt).toISOString(), ...fields(draft) };
}
