import { z } from 'zod';
import { ContactEmail, Phone, Text, Uuid, WebUrl } from './common.ts';
import { CatalogueCode } from './partner-catalogue.ts';
import { ThemeCode, ThemeList } from './themes.ts';

const Name = z.string().trim().min(2, { message: 'au moins 2 caractères' }).max(160, { message: 'au plus 160 caractères' });
export const PartnerLink = z.strictObject({ label: Text(120), url: WebUrl });
export type PartnerLink = z.infer<typeof PartnerLink>;

export const OrganisationParams = z.strictObject({ territoryId: Uuid, id: Uuid });
export const OrganisationReferentsParams = z.strictObject({ territoryId: Uuid, organisationId: Uuid });
export const ReferentParams = z.strictObject({ territoryId: Uuid, id: Uuid });

export const ReferentAccount = z.object({ userId: Uuid, displayName: z.string(), email: z.string() });
export const ReferentView = z.object({
  id: Uuid,
  organisationId: Uuid,
  fullName: z.string(),
  title: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  availability: z.string().nullable(),
  themes: z.array(z.string()),
  active: z.boolean(),
  /** The Relais account of this referent, if they have one. */
  account: ReferentAccount.nullable(),
  updatedAt: z.iso.datetime(),
});
export type ReferentView = z.infer<typeof ReferentView>;

export const OrganisationDetails = z.object({
  id: Uuid,
  territoryId: Uuid,
  name: z.string(),
  acronym: z.string(),
  nationalCode: z.string().nullable(),
  description: z.string().nullable(),
  website: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  themes: z.array(z.string()),
  procedures: z.array(z.string()),
  links: z.array(z.object({ label: z.string(), url: z.string() })),
  updatedAt: z.iso.datetime(),
  referents: z.array(ReferentView),
  /** Whether the caller may edit this organisation and its referents. */
  canEdit: z.boolean(),
  /** People of Relais with a referent or manager role in this organisation (to link a referent to an account). */
  accounts: z.array(ReferentAccount),
});
export type OrganisationDetails = z.infer<typeof OrganisationDetails>;

export const UpdateOrganisationBody = z
  .strictObject({
    name: Name.optional(),
    acronym: z.string().trim().min(2, { message: 'au moins 2 caractères' }).max(30, { message: 'au plus 30 caractères' }).optional(),
    description: Text(2000).nullable().optional(),
    website: WebUrl.nullable().optional(),
    phone: Phone.nullable().optional(),
    email: ContactEmail.nullable().optional(),
    themes: ThemeList.optional(),
    procedures: z
      .array(Text(160))
      .max(60, { message: 'au plus 60 démarches' })
      .refine((p) => new Set(p.map((x) => x.toLowerCase())).size === p.length, { message: 'démarche en double' })
      .optional(),
    links: z.array(PartnerLink).max(20, { message: 'au plus 20 liens' }).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'rien à modifier' });
export type UpdateOrganisationBody = z.infer<typeof UpdateOrganisationBody>;

export const AddFromCatalogueBody = z.strictObject({ catalogueCode: CatalogueCode });
export type AddFromCatalogueBody = z.infer<typeof AddFromCatalogueBody>;

const referentFields = {
  fullName: Name,
  title: Text(120).nullable().optional(),
  email: ContactEmail.nullable().optional(),
  phone: Phone.nullable().optional(),
  availability: Text(500).nullable().optional(),
  themes: ThemeList.optional(),
  active: z.boolean().optional(),
  /** A Relais account with a referent or manager role in the organisation. */
  userId: Uuid.nullable().optional(),
};
export const CreateReferentBody = z.strictObject(referentFields);
export type CreateReferentBody = z.infer<typeof CreateReferentBody>;
export const UpdateReferentBody = z
  .strictObject({ ...referentFields, fullName: Name.optional() })
  .refine((b) => Object.keys(b).length > 0, { message: 'rien à modifier' });
export type UpdateReferentBody = z.infer<typeof UpdateReferentBody>;

export const DirectoryQuery = z.strictObject({
  q: z.string().trim().max(100, { message: 'recherche trop longue' }).optional(),
  theme: ThemeCode.optional(),
  organisationId: Uuid.optional(),
});
export type DirectoryQuery = z.infer<typeof DirectoryQuery>;

export const DirectoryEntry = ReferentView.extend({
  organisation: z.object({
    id: Uuid,
    name: z.string(),
    acronym: z.string(),
    nationalCode: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    website: z.string().nullable(),
  }),
});
export type DirectoryEntry = z.infer<typeof DirectoryEntry>;

// Bus stops ------------------------------------------------------------------

const Time = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, { message: 'heure au format HH:MM' });
const IsoDate = z.iso
  .date({ message: 'date au format AAAA-MM-JJ' })
  .refine((d) => d >= '2000-01-01' && d <= '2100-12-31', { message: 'date entre 2000 et 2100' });
const InseeCode = z.string().regex(/^[0-9][0-9AB][0-9]{3}$/, { message: 'code INSEE à 5 caractères, par exemple 61345 ou 2A004' });
const Latitude = z.number().min(-90, { message: 'latitude entre -90 et 90' }).max(90, { message: 'latitude entre -90 et 90' });
const Longitude = z.number().min(-180, { message: 'longitude entre -180 et 180' }).max(180, { message: 'longitude entre -180 et 180' });

export const ContactPointBusParams = z.strictObject({ territoryId: Uuid, id: Uuid });
export const BusStopParams = z.strictObject({ territoryId: Uuid, id: Uuid });

export const BusStopView = z.object({
  id: Uuid,
  contactPointId: Uuid,
  commune: z.string(),
  inseeCode: z.string().nullable(),
  place: z.string(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  /** The stop's day and times on the territory's wall clock. */
  date: z.string(),
  startTime: z.string(),
  endTime: z.string(),
  note: z.string().nullable(),
  cancelledAt: z.iso.datetime().nullable(),
});
export type BusStopView = z.infer<typeof BusStopView>;

export const BusStopsQuery = z.strictObject({
  /** From this local date (inclusive); defaults to now when listing upcoming stops. */
  from: IsoDate.optional(),
  /** Up to this local date (inclusive). */
  to: IsoDate.optional(),
  period: z.enum(['upcoming', 'past'], { message: 'période : upcoming ou past' }).optional(),
});

const whereFields = {
  commune: Name,
  inseeCode: InseeCode,
  place: Text(200),
  latitude: Latitude.nullable().optional(),
  longitude: Longitude.nullable().optional(),
  note: Text(500).nullable().optional(),
};
const bothCoordinates = (b: { latitude?: number | null; longitude?: number | null }, ctx: z.RefinementCtx) => {
  if (((b.latitude ?? null) === null) !== ((b.longitude ?? null) === null))
    ctx.addIssue({ code: 'custom', path: [b.latitude == null ? 'latitude' : 'longitude'], message: 'latitude et longitude vont ensemble' });
};
const endAfterStart = (b: { startTime?: string; endTime?: string }, ctx: z.RefinementCtx) => {
  if (b.startTime && b.endTime && b.endTime <= b.startTime)
    ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'l’heure de fin doit suivre l’heure de début' });
};

export const CreateBusStopBody = z
  .strictObject({ ...whereFields, date: IsoDate, startTime: Time, endTime: Time })
  .superRefine(bothCoordinates)
  .superRefine(endAfterStart);
export type CreateBusStopBody = z.infer<typeof CreateBusStopBody>;

export const Weekdays = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'] as const;
export const CreateBusSeriesBody = z
  .strictObject({
    ...whereFields,
    from: IsoDate,
    to: IsoDate,
    weekday: z.enum(Weekdays, { message: 'jour de la semaine en français : lundi … dimanche' }),
    startTime: Time,
    endTime: Time,
    /** Leave out the public holidays of the territory (default: yes). */
    skipHolidays: z.boolean().optional(),
  })
  .superRefine(bothCoordinates)
  .superRefine(endAfterStart)
  .superRefine((b, ctx) => {
    if (b.to < b.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'la date de fin doit suivre la date de début' });
    else if ((Date.parse(b.to) - Date.parse(b.from)) / 86_400_000 > 366)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'une série couvre un an au plus' });
  });
export type CreateBusSeriesBody = z.infer<typeof CreateBusSeriesBody>;

export const BusSeriesResult = z.object({
  created: z.array(BusStopView),
  /** Dates of the series left out, with the reason (a public holiday). */
  skipped: z.array(z.object({ date: z.string(), reason: z.string() })),
});
export type BusSeriesResult = z.infer<typeof BusSeriesResult>;

export const UpdateBusStopBody = z
  .strictObject({
    commune: Name.optional(),
    inseeCode: InseeCode.optional(),
    place: Text(200).optional(),
    latitude: Latitude.nullable().optional(),
    longitude: Longitude.nullable().optional(),
    note: Text(500).nullable().optional(),
    date: IsoDate.optional(),
    startTime: Time.optional(),
    endTime: Time.optional(),
  })
  .superRefine((b, ctx) => {
    if (b.latitude !== undefined || b.longitude !== undefined) bothCoordinates(b, ctx);
  })
  .superRefine(endAfterStart)
  .refine((b) => Object.keys(b).length > 0, { message: 'rien à modifier' });
export type UpdateBusStopBody = z.infer<typeof UpdateBusStopBody>;
