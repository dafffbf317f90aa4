import { z } from 'zod';
import { Text, Uuid } from './common.ts';
import { ThemeRef } from './taxonomy.ts';

/**
 * Visits (accueils): one visit, call or contact logged by an agent of a contact point, anonymous
 * unless linked to a person file. Sent with an idempotency key chosen by the browser: sending the
 * same key again answers 200 with the visit already stored (201 the first time), never a duplicate.
 */

export const VisitChannels = ['sur_place', 'telephone', 'courriel', 'visio', 'arret_bus', 'domicile'] as const;
export type VisitChannel = (typeof VisitChannels)[number];
export const VisitChannelLabels: Record<VisitChannel, string> = {
  sur_place: 'Sur place',
  telephone: 'Téléphone',
  courriel: 'Courriel',
  visio: 'Visio',
  arret_bus: 'À l’arrêt du bus',
  domicile: 'Au domicile',
};
export const VisitChannel = z.enum(VisitChannels, { message: 'canal inconnu' });

export const VisitActions = [
  'information',
  'aide_demarche_en_ligne',
  'sous_mandat',
  'dossier_prepare',
  'rendez_vous_pris',
  'saisine_partenaire',
  'reorientation',
] as const;
export type VisitAction = (typeof VisitActions)[number];
export const VisitActionLabels: Record<VisitAction, string> = {
  information: 'Information',
  aide_demarche_en_ligne: 'Aide à une démarche en ligne',
  sous_mandat: 'Fait sous mandat',
  dossier_prepare: 'Dossier préparé',
  rendez_vous_pris: 'Rendez-vous pris',
  saisine_partenaire: 'Transmis à un partenaire',
  reorientation: 'Réorienté ailleurs',
};
export const VisitAction = z.enum(VisitActions, { message: 'action inconnue' });

export const VisitAutonomies = ['seul', 'avec_aide', 'fait_pour'] as const;
export type VisitAutonomy = (typeof VisitAutonomies)[number];
export const VisitAutonomyLabels: Record<VisitAutonomy, string> = {
  seul: 'A fait seul',
  avec_aide: 'Avec de l’aide',
  fait_pour: 'Fait pour la personne',
};
export const VisitAutonomy = z.enum(VisitAutonomies, { message: 'autonomie inconnue' });

const unique = <T>(list: T[]) => new Set(list).size === list.length;
const OrganisationIds = z.array(Uuid).max(20, { message: 'au plus 20 partenaires' }).refine(unique, { message: 'partenaire en double' });
const ThemeCodes = z.array(ThemeRef).max(20, { message: 'au plus 20 thèmes' }).refine(unique, { message: 'thème en double' });
const Actions = z.array(VisitAction).max(VisitActions.length).refine(unique, { message: 'action en double' });
const Duration = z
  .number({ message: 'durée en minutes attendue' })
  .int({ message: 'durée en minutes entières attendue' })
  .min(0, { message: 'durée négative' })
  .max(1440, { message: 'au plus 1 440 minutes (24 heures)' });
const DateTime = z.iso.datetime({ offset: true, message: 'date et heure ISO 8601 attendues' });

export const CreateVisitBody = z.strictObject({
  /** Must be a contact point where the caller is an agent (or any of the territory for a coordinator). */
  contactPointId: Uuid,
  /** Defaults to now; not more than 5 minutes in the future. */
  occurredAt: DateTime.optional(),
  channel: VisitChannel,
  /** Partners of the territory the visit concerned. */
  organisationIds: OrganisationIds.default([]),
  /** Codes from the territory's taxonomy (GET /api/territories/:t/taxonomy). */
  themeCodes: ThemeCodes.default([]),
  actions: Actions.default([]),
  autonomy: VisitAutonomy.nullable().optional(),
  durationMinutes: Duration.nullable().optional(),
  comment: Text(2000).nullable().optional(),
  /** A person file the contact point holds. */
  personId: Uuid.nullable().optional(),
  /** For a bus or antenna: the stop where it happened. */
  busStopId: Uuid.nullable().optional(),
  /** With the action sous_mandat and a person: their mandate held by the contact point, active then, covering the partners. */
  mandateId: Uuid.nullable().optional(),
  /** Chosen by the browser (crypto.randomUUID()), kept with the entry in the offline queue. */
  idempotencyKey: z.uuid({ message: 'clé d’idempotence : UUID attendu' }),
});
export type CreateVisitBody = z.input<typeof CreateVisitBody>;

/** What the agent may correct within the correction window (VISIT_CORRECTION_HOURS after it was logged). */
export const CorrectVisitBody = z
  .strictObject({
    occurredAt: DateTime.optional(),
    channel: VisitChannel.optional(),
    organisationIds: OrganisationIds.optional(),
    themeCodes: ThemeCodes.optional(),
    actions: Actions.optional(),
    autonomy: VisitAutonomy.nullable().optional(),
    durationMinutes: Duration.nullable().optional(),
    comment: Text(2000).nullable().optional(),
    personId: Uuid.nullable().optional(),
    busStopId: Uuid.nullable().optional(),
    mandateId: Uuid.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'rien à corriger' });
export type CorrectVisitBody = z.infer<typeof CorrectVisitBody>;

export const VisitParams = z.strictObject({ territoryId: Uuid, id: Uuid });

export const VisitListQuery = z.strictObject({
  contactPointId: Uuid.optional(),
  /** occurredAt ≥ from */
  from: DateTime.optional(),
  /** occurredAt < to */
  to: DateTime.optional(),
  /** Only the visits the caller logged. */
  mine: z.enum(['true', 'false'], { message: 'true ou false attendu' }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** nextCursor of the previous page. */
  cursor: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, { message: 'curseur invalide' })
    .optional(),
});
export type VisitListQuery = z.infer<typeof VisitListQuery>;

export const VisitView = z.object({
  id: z.string(),
  territoryId: z.string(),
  contactPointId: z.string(),
  contactPointName: z.string(),
  agentUserId: z.string(),
  agentName: z.string(),
  occurredAt: z.string(),
  channel: VisitChannel,
  organisationIds: z.array(z.string()),
  themeCodes: z.array(z.string()),
  actions: z.array(VisitAction),
  autonomy: VisitAutonomy.nullable(),
  durationMinutes: z.number().int().nullable(),
  comment: z.string().nullable(),
  personId: z.string().nullable(),
  busStopId: z.string().nullable(),
  /** The mandate the agent acted under (action sous_mandat). */
  mandateId: z.string().nullable(),
  idempotencyKey: z.string().nullable(),
  createdAt: z.string(),
  correctedAt: z.string().nullable(),
  /** Until when its agent may correct it. */
  correctableUntil: z.string(),
  /** Whether the caller may correct it now (its agent, window open). */
  canCorrect: z.boolean(),
});
export type VisitView = z.infer<typeof VisitView>;

export const VisitListView = z.object({
  items: z.array(VisitView),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type VisitListView = z.infer<typeof VisitListView>;

/** The quick choices of the visit form for one contact point (one key each). */
export const VisitShortcutsView = z.object({
  /** Most frequent partners over the last 90 days (at most 9), else the partners served at the contact point. */
  partners: z.array(z.object({ organisationId: z.string(), acronym: z.string(), name: z.string(), count: z.number().int() })),
  /** Most frequent themes over the last 90 days (at most 9), else the national themes. */
  themes: z.array(z.object({ code: z.string(), label: z.string(), count: z.number().int() })),
  /** false when a list is the fallback (no history yet). */
  fromHistory: z.object({ partners: z.boolean(), themes: z.boolean() }),
});
export type VisitShortcutsView = z.infer<typeof VisitShortcutsView>;

export const ContactPointShortcutParams = z.strictObject({ territoryId: Uuid, id: Uuid });
