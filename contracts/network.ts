import { z } from 'zod';
import { ContactEmail, Phone, Text, Uuid, WebUrl } from './common.ts';
import { ThemeList } from './themes.ts';

export const ContactPointKinds = [
  'france_services',
  'mairie',
  'bureau_de_poste',
  'association',
  'agence_partenaire',
  'bus',
  'antenne',
] as const;
export const ContactPointKindLabels: Record<(typeof ContactPointKinds)[number], string> = {
  france_services: 'France Services',
  mairie: 'Mairie',
  bureau_de_poste: 'Bureau de poste',
  association: 'Association',
  agence_partenaire: 'Agence d’un partenaire',
  bus: 'Bus itinérant',
  antenne: 'Antenne',
};

const Name = z.string().trim().min(2, { message: 'au moins 2 caractères' }).max(160);

export const TerritoryView = z.object({
  id: Uuid,
  slug: z.string(),
  name: z.string(),
  departmentCode: z.string(),
  regionCode: z.string(),
  timezone: z.string(),
});
export type TerritoryView = z.infer<typeof TerritoryView>;
export const CreateTerritoryBody = z.strictObject({
  slug: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'minuscules, chiffres et tirets' })
    .max(60),
  name: Name,
  departmentCode: z.string().regex(/^(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-6])$/, { message: 'code de département invalide' }),
  regionCode: z.string().regex(/^[0-9]{2}$/, { message: 'code de région INSEE à 2 chiffres' }),
  timezone: z.string().max(60).default('Europe/Paris'),
});

const InseeCode = z.string().regex(/^[0-9][0-9AB][0-9]{3}$/, { message: 'code INSEE à 5 caractères, par exemple 61345 ou 2A004' });
const Latitude = z
  .number({ message: 'latitude en degrés décimaux, par exemple 48.43' })
  .min(-90, { message: 'latitude entre -90 et 90' })
  .max(90, { message: 'latitude entre -90 et 90' });
const Longitude = z
  .number({ message: 'longitude en degrés décimaux, par exemple 0.78' })
  .min(-180, { message: 'longitude entre -180 et 180' })
  .max(180, { message: 'longitude entre -180 et 180' });

/** The fields a coordinator edits on a contact point (every one optional on update; null clears it). */
const contactPointFields = {
  name: Name,
  kind: z.enum(ContactPointKinds, { message: 'type de lieu inconnu' }),
  commune: Name,
  inseeCode: InseeCode.nullable().optional(),
  matricule: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_\-/.]{0,59}$/, { message: 'matricule France Services : lettres, chiffres et tirets' })
    .nullable()
    .optional(),
  labelDate: z.iso.date({ message: 'date de labellisation au format AAAA-MM-JJ' }).nullable().optional(),
  address: Text(200).nullable().optional(),
  addressComplement: Text(200).nullable().optional(),
  postcode: z
    .string()
    .regex(/^[0-9]{5}$/, { message: 'code postal à 5 chiffres' })
    .nullable()
    .optional(),
  latitude: Latitude.nullable().optional(),
  longitude: Longitude.nullable().optional(),
  phone: Phone.nullable().optional(),
  email: ContactEmail.nullable().optional(),
  website: WebUrl.nullable().optional(),
  managingBody: Text(160).nullable().optional(),
  managingBodyType: Text(80).nullable().optional(),
  description: Text(2000).nullable().optional(),
  accessibility: Text(2000).nullable().optional(),
  wheelchairAccessible: z.boolean().nullable().optional(),
  /** OpenStreetMap opening_hours syntax, checked by the server (OPENING_HOURS_INVALID); null = unknown. */
  openingHours: z.string().trim().max(1000, { message: 'horaires trop longs (1 000 caractères au plus)' }).nullable().optional(),
  themes: ThemeList.optional(),
};

const bothCoordinates = (b: { latitude?: number | null; longitude?: number | null }, ctx: z.RefinementCtx) => {
  if (b.latitude === undefined && b.longitude === undefined) return;
  if (((b.latitude ?? null) === null) !== ((b.longitude ?? null) === null))
    ctx.addIssue({
      code: 'custom',
      path: [b.latitude == null ? 'latitude' : 'longitude'],
      message: 'latitude et longitude vont ensemble',
    });
};

export const CreateContactPointBody = z.strictObject(contactPointFields).superRefine(bothCoordinates);
export type CreateContactPointBody = z.infer<typeof CreateContactPointBody>;
export const UpdateContactPointBody = z
  .strictObject({
    ...contactPointFields,
    name: Name.optional(),
    kind: contactPointFields.kind.optional(),
    commune: Name.optional(),
  })
  .superRefine(bothCoordinates)
  .refine((b) => Object.keys(b).length > 0, { message: 'rien à modifier' });
export type UpdateContactPointBody = z.infer<typeof UpdateContactPointBody>;

export const HoursStates = ['open', 'closed', 'appointment', 'unknown'] as const;
export const HoursStateLabels: Record<(typeof HoursStates)[number], string> = {
  open: 'Ouvert',
  closed: 'Fermé',
  appointment: 'Sur rendez-vous',
  unknown: 'Horaires non renseignés',
};
/** Whether a place is open at a given instant, computed in the territory's time zone and holiday calendar. */
export const HoursStatus = z.object({
  state: z.enum(HoursStates),
  comment: z.string().nullable(),
  closesAt: z.iso.datetime().nullable(),
  nextChange: z.iso.datetime().nullable(),
  nextOpening: z.iso.datetime().nullable(),
});
export type HoursStatus = z.infer<typeof HoursStatus>;
/** One day of a week's schedule, in the territory's wall-clock time (HH:MM). */
export const ScheduleDay = z.object({
  date: z.iso.date(),
  /** Name of the public holiday that day, if any. */
  holiday: z.string().nullable(),
  intervals: z.array(
    z.object({
      start: z.string(),
      end: z.string(),
      state: z.enum(['open', 'appointment', 'unknown']),
      comment: z.string().nullable(),
    }),
  ),
});
export type ScheduleDay = z.infer<typeof ScheduleDay>;

/** A bus's or an antenna's next stop (the current one while it stands there), not cancelled. */
export const NextStop = z.object({
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  commune: z.string(),
  place: z.string(),
  /** It stands there now. */
  current: z.boolean(),
});
export type NextStop = z.infer<typeof NextStop>;

export const ContactPointView = z.object({
  id: Uuid,
  territoryId: Uuid,
  name: z.string(),
  kind: z.enum(ContactPointKinds),
  commune: z.string(),
  inseeCode: z.string().nullable(),
  matricule: z.string().nullable(),
  labelDate: z.string().nullable(),
  address: z.string().nullable(),
  addressComplement: z.string().nullable(),
  postcode: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  website: z.string().nullable(),
  managingBody: z.string().nullable(),
  managingBodyType: z.string().nullable(),
  description: z.string().nullable(),
  accessibility: z.string().nullable(),
  wheelchairAccessible: z.boolean().nullable(),
  openingHours: z.string().nullable(),
  /** Why imported hours need a coordinator's review (cleared when hours are saved). */
  hoursReview: z.string().nullable(),
  themes: z.array(z.string()),
  source: z.string(),
  closedAt: z.iso.datetime().nullable(),
  updatedAt: z.iso.datetime(),
  /** Open now? (closed for a place closed for good, unknown when its hours are.) */
  now: HoursStatus,
  /** For a bus or an antenna: where it stands next; null otherwise or when no stop is planned. */
  nextStop: NextStop.nullable(),
});
export type ContactPointView = z.infer<typeof ContactPointView>;

export const LabelCheckCodes = ['weekly_hours', 'agents', 'operators'] as const;
export const LabelCheck = z.object({
  ok: z.boolean(),
  checks: z.array(z.object({ code: z.enum(LabelCheckCodes), ok: z.boolean(), label: z.string(), detail: z.string() })),
  missing: z.array(z.string()),
});
export type LabelCheck = z.infer<typeof LabelCheck>;

export const ServedPartner = z.object({
  organisationId: Uuid,
  name: z.string(),
  acronym: z.string(),
  nationalCode: z.string().nullable(),
  note: z.string().nullable(),
});
export type ServedPartner = z.infer<typeof ServedPartner>;

export const ContactPointDetails = ContactPointView.extend({
  week: z.array(ScheduleDay),
  weeklyOpenHours: z.number().nullable(),
  partners: z.array(ServedPartner),
  agents: z.array(z.object({ userId: Uuid, displayName: z.string(), email: z.string() })),
  /** For a France Services only. */
  labelCheck: LabelCheck.nullable(),
});
export type ContactPointDetails = z.infer<typeof ContactPointDetails>;

export const SetServedPartnersBody = z.strictObject({
  partners: z
    .array(
      z.strictObject({
        organisationId: Uuid,
        note: Text(300).nullable().optional(),
      }),
    )
    .max(200)
    .refine((p) => new Set(p.map((x) => x.organisationId)).size === p.length, { message: 'partenaire en double' }),
});
export type SetServedPartnersBody = z.infer<typeof SetServedPartnersBody>;

export const LabelCheckRow = z.object({
  contactPointId: Uuid,
  name: z.string(),
  commune: z.string(),
  matricule: z.string().nullable(),
  labelCheck: LabelCheck,
});
export type LabelCheckRow = z.infer<typeof LabelCheckRow>;

export const OpeningHoursPreviewBody = z.strictObject({
  value: z.string().max(1000, { message: 'horaires trop longs (1 000 caractères au plus)' }),
  territoryId: Uuid,
});
export const OpeningHoursPreview = z.object({
  ok: z.boolean(),
  /** Why the value is refused, in French. */
  message: z.string().nullable(),
  normalized: z.string().nullable(),
  week: z.array(ScheduleDay),
  weeklyOpenHours: z.number().nullable(),
  now: HoursStatus.nullable(),
});
export type OpeningHoursPreview = z.infer<typeof OpeningHoursPreview>;

export const OrganisationView = z.object({
  id: Uuid,
  territoryId: Uuid,
  name: z.string(),
  acronym: z.string(),
  nationalCode: z.string().nullable(),
});
export type OrganisationView = z.infer<typeof OrganisationView>;
export const CreateOrganisationBody = z.strictObject({
  name: Name,
  acronym: z.string().trim().min(2).max(30),
  nationalCode: z
    .string()
    .regex(/^[A-Z_]{2,20}$/)
    .nullable()
    .optional(),
});
