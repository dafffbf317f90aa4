import { z } from 'zod';
import { Uuid } from './common.ts';
import { ContactPointKinds } from './network.ts';

/** The public finder (no sign-in): communes, nearest contact points, a contact point's public page. */

export const Coordinates = z.object({ lat: z.number(), lon: z.number() });
export type Coordinates = z.infer<typeof Coordinates>;

export const CommuneSearchQuery = z.strictObject({
  q: z
    .string({ message: 'saisissez une commune ou un code postal' })
    .trim()
    .min(1, { message: 'saisissez une commune ou un code postal' })
    .max(100),
});

export const CommuneSuggestion = z.object({
  inseeCode: z.string(),
  name: z.string(),
  postcodes: z.array(z.string()),
  departmentCode: z.string(),
  /** null: the commune could not be placed (no coordinates in the datasets; nothing is invented). */
  coordinates: Coordinates.nullable(),
});
export type CommuneSuggestion = z.infer<typeof CommuneSuggestion>;

const InseeCode = z.string().regex(/^[0-9][0-9AB][0-9]{3}$/, { message: 'code INSEE invalide (5 caractères, ex. 61293)' });
const Postcode = z.string().regex(/^[0-9]{5}$/, { message: 'code postal invalide (5 chiffres)' });

export const FinderQuery = z
  .strictObject({
    lat: z.coerce
      .number({ message: 'latitude invalide' })
      .min(-90, { message: 'latitude entre -90 et 90' })
      .max(90, { message: 'latitude entre -90 et 90' })
      .optional(),
    lon: z.coerce
      .number({ message: 'longitude invalide' })
      .min(-180, { message: 'longitude entre -180 et 180' })
      .max(180, { message: 'longitude entre -180 et 180' })
      .optional(),
    insee: InseeCode.optional(),
    postcode: Postcode.optional(),
    /** Slug of a territory, to keep its contact points only. */
    territory: z
      .string()
      .regex(/^[a-z0-9-]{1,80}$/, { message: 'territoire invalide' })
      .optional(),
    kind: z.enum(ContactPointKinds, { message: 'type de lieu inconnu' }).optional(),
    openNow: z.enum(['true', 'false'], { message: 'openNow vaut true ou false' }).optional(),
    limit: z.coerce.number().int().min(1, { message: 'au moins 1' }).max(50, { message: 'au plus 50' }).default(20),
  })
  .superRefine((q, ctx) => {
    const position = q.lat !== undefined || q.lon !== undefined;
    if (position && (q.lat === undefined || q.lon === undefined))
      ctx.addIssue({ code: 'custom', path: [q.lat === undefined ? 'lat' : 'lon'], message: 'donnez la latitude et la longitude' });
    const given = [position, q.insee !== undefined, q.postcode !== undefined].filter(Boolean).length;
    if (given !== 1)
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'donnez une position (lat, lon), un code INSEE (insee) ou un code postal (postcode)',
      });
  });
export type FinderQuery = z.infer<typeof FinderQuery>;

export const OpenState = z.enum(['open', 'closed', 'appointment', 'unknown']);
export type OpenState = z.infer<typeof OpenState>;

export const OpenStatus = z.object({
  state: OpenState,
  comment: z.string().nullable(),
  /** When open (or by appointment): when it closes. */
  closesAt: z.iso.datetime().nullable(),
  /** When not open: the next opening (within 60 days), if known. */
  nextOpening: z.iso.datetime().nullable(),
});
export type OpenStatus = z.infer<typeof OpenStatus>;

export const PublicBusStop = z.object({
  id: Uuid,
  commune: z.string(),
  inseeCode: z.string().nullable(),
  place: z.string(),
  coordinates: Coordinates.nullable(),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  note: z.string().nullable(),
});
export type PublicBusStop = z.infer<typeof PublicBusStop>;

export const FinderOrigin = z.object({
  kind: z.enum(['position', 'commune', 'postcode']),
  coordinates: Coordinates,
  /**
   * How the point was found: the commune's own coordinates, the middle of its contact points, or
   * (approximate) the middle of the placed communes sharing one of its postcodes.
   */
  placedBy: z.enum(['position', 'commune', 'contact_points', 'postcode']),
  /** With `placedBy: 'postcode'`: the postcodes whose communes gave the position. */
  postcodes: z.array(z.string()).optional(),
  label: z.string(),
  commune: CommuneSuggestion.nullable(),
});
export type FinderOrigin = z.infer<typeof FinderOrigin>;

export const FinderResult = z.object({
  id: Uuid,
  name: z.string(),
  kind: z.enum(ContactPointKinds),
  commune: z.string(),
  address: z.string().nullable(),
  postcode: z.string().nullable(),
  territory: z.object({ slug: z.string(), name: z.string(), timezone: z.string() }),
  distanceKm: z.number(),
  /** Where the distance is measured to: the place, or for a bus its stop near the person. */
  coordinates: Coordinates,
  open: OpenStatus,
  /** Travelling bus or antenna: the upcoming stop nearest the person. */
  nearStop: PublicBusStop.nullable(),
});
export type FinderResult = z.infer<typeof FinderResult>;

export const FinderResponse = z.object({ origin: FinderOrigin, items: z.array(FinderResult) });
export type FinderResponse = z.infer<typeof FinderResponse>;

export const PublicScheduleDay = z.object({
  date: z.string(),
  /** 0 = Monday … 6 = Sunday */
  weekday: z.number().int(),
  holiday: z.string().nullable(),
  intervals: z.array(z.object({ start: z.string(), end: z.string(), state: OpenState, comment: z.string().nullable() })),
});
export type PublicScheduleDay = z.infer<typeof PublicScheduleDay>;

export const PublicPartner = z.object({
  name: z.string(),
  acronym: z.string(),
  themes: z.array(z.string()),
  website: z.string().nullable(),
  /** How the partner is present at this place: "permanence le 1er mardi", "visio sur rendez-vous". */
  note: z.string().nullable(),
});

export const PublicContactPoint = z.object({
  id: Uuid,
  name: z.string(),
  kind: z.enum(ContactPointKinds),
  commune: z.string(),
  inseeCode: z.string().nullable(),
  address: z.string().nullable(),
  addressComplement: z.string().nullable(),
  postcode: z.string().nullable(),
  coordinates: Coordinates.nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  website: z.string().nullable(),
  description: z.string().nullable(),
  accessibility: z.string().nullable(),
  wheelchairAccessible: z.boolean().nullable(),
  territory: z.object({ slug: z.string(), name: z.string(), timezone: z.string() }),
  themes: z.array(z.string()),
  openingHours: z.string().nullable(),
  open: OpenStatus,
  week: z.array(PublicScheduleDay),
  partners: z.array(PublicPartner),
  nextStops: z.array(PublicBusStop),
  /** OpenStreetMap directions to the place (or to the bus's next stop). */
  directionsUrl: z.string().nullable(),
});
export type PublicContactPoint = z.infer<typeof PublicContactPoint>;

export const PublicConfig = z.object({
  /** Tile URL template ({z}/{x}/{y}); null: the map is drawn without tiles. */
  mapTilesUrl: z.string().nullable(),
  mapTilesAttribution: z.string().nullable(),
});
export type PublicConfig = z.infer<typeof PublicConfig>;
