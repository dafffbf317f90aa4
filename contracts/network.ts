import { z } from 'zod';
import { Uuid } from './common.ts';

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

export const ContactPointView = z.object({
  id: Uuid,
  territoryId: Uuid,
  name: z.string(),
  kind: z.enum(ContactPointKinds),
  commune: z.string(),
  inseeCode: z.string().nullable(),
});
export type ContactPointView = z.infer<typeof ContactPointView>;
export const CreateContactPointBody = z.strictObject({
  name: Name,
  kind: z.enum(ContactPointKinds),
  commune: Name,
  inseeCode: z
    .string()
    .regex(/^[0-9][0-9AB][0-9]{3}$/, { message: 'code INSEE à 5 caractères' })
    .nullable()
    .optional(),
});
export const UpdateContactPointBody = CreateContactPointBody.partial().refine((b) => Object.keys(b).length > 0, {
  message: 'rien à modifier',
});

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
