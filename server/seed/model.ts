import type { ThemeCode } from '../../contracts/themes.ts';
import type { contactPointKinds } from '../modules/network/network.schema.ts';

/** A demo territory described as data; `build.ts` writes it. Every person and number here is fictitious. */
export interface SeedTerritory {
  slug: string;
  name: string;
  departmentCode: string;
  regionCode: string;
  timezone: string;
  contactPoints: SeedContactPoint[];
  partners: SeedPartner[];
  /** Weekly rounds of the travelling contact points (kind `bus`), dated from the seed date on. */
  busRounds: SeedBusRound[];
}

export interface SeedCommune {
  commune: string;
  inseeCode: string;
  postcode: string;
  latitude: number;
  longitude: number;
}

/** A real commune, by its name, INSEE code, postcode and centre. */
export const commune = (name: string, inseeCode: string, postcode: string, latitude: number, longitude: number): SeedCommune => ({
  commune: name,
  inseeCode,
  postcode,
  latitude,
  longitude,
});

export interface SeedAgent {
  email: string;
  displayName: string;
}

export interface SeedContactPoint extends SeedCommune {
  name: string;
  kind: (typeof contactPointKinds)[number];
  /** France Services identifier: fictitious integers from 9000 up, clear of the real ANCT ones. */
  matricule?: string;
  labelDate?: string;
  address: string;
  phone: string;
  email: string;
  website?: string;
  managingBody: string;
  managingBodyType: string;
  description: string;
  accessibility: string;
  wheelchairAccessible: boolean;
  /** OSM opening_hours; null for a bus, whose hours are its dated stops. */
  openingHours: string | null;
  themes: ThemeCode[];
  /** Partners served here (their catalogue code) and how. */
  partners: { code: string; note?: string }[];
  agents: SeedAgent[];
}

export interface SeedReferent {
  fullName: string;
  title: string;
  email: string;
  phone: string;
  availability: string;
  themes: ThemeCode[];
}

export interface SeedPartner {
  /** Code in contracts/partner-catalogue.ts: themes, procedures and links come from there. */
  code: string;
  name: string;
  acronym: string;
  /** Said after the catalogue's description: what is local about this partner. */
  localDescription: string;
  phone: string;
  email: string;
  website?: string;
  referents: SeedReferent[];
}

export interface SeedBusStopSlot {
  /** 0 = Monday … 6 = Sunday */
  weekday: number;
  /** Local wall-clock times in the territory's zone, "HH:MM". */
  start: string;
  end: string;
  /** Every week (1), or one week in two (2) starting with the first week (offset 0) or the second (1). */
  everyWeeks?: 1 | 2;
  weekOffset?: 0 | 1;
  place: string;
  stop: SeedCommune;
}

export interface SeedBusRound {
  /** Name of the bus contact point. */
  contactPoint: string;
  slots: SeedBusStopSlot[];
  /** Index of a stop (in date order) shown as cancelled. */
  cancelledStop?: number;
}
