import { z } from 'zod';

/**
 * The data·inclusion schema, version 0 (« structure » and « service »), written in zod from the
 * published JSON Schemas: gip-inclusion/data-inclusion-schema, `schemas/v0/structure.json`
 * (commit 05304d9d) and `schemas/v0/service.json` (commit 22fa7b51), with the reference lists of
 * `schemas/v0/extra/*.json`. The long enums (thématiques, labels nationaux, typologies, profils) list
 * only the values Relais emits, all taken from the published lists: the schema accepts more, and
 * the import reads only the fields it needs (see import/data-inclusion-import.ts).
 * Required fields: structure {id, nom, source, date_maj}; service {id, structure_id, source, nom, date_maj}.
 */

const nullable = <T extends z.ZodType>(t: T) => t.nullable().optional();
const Uri = z
  .url({ protocol: /^https?$/ })
  .min(1)
  .max(2083);
const Nom = z
  .string()
  .min(3)
  .max(150)
  .refine((v) => !v.endsWith('.'), { message: 'le nom ne doit pas se terminer par un point' });
const CodeInsee = z.string().regex(/^\w{5}$/);
const CodePostal = z.string().regex(/^\d{5}$/);
const DateMaj = z.iso.date();
const uniqueArray = <T extends z.ZodType>(t: T) => z.array(t).refine((a) => new Set(a).size === a.length, { message: 'valeurs en double' });

/** Thématiques (schemas/v0/extra/thematiques.json): the codes Relais maps its themes to. */
export const DiThematiques = [
  'acces-aux-droits-et-citoyennete',
  'acces-aux-droits-et-citoyennete--accompagnement-dans-les-demarches-administratives',
  'acces-aux-droits-et-citoyennete--accompagnement-juridique',
  'acces-aux-droits-et-citoyennete--connaitre-ses-droits',
  'acces-aux-droits-et-citoyennete--demandeurs-dasile-et-naturalisation',
  'famille',
  'gestion-financiere',
  'handicap',
  'logement-hebergement',
  'mobilite',
  'numerique',
  'sante',
  'se-former',
  'trouver-un-emploi',
] as const;
/** Labels nationaux (v0 LabelNational): those Relais may emit. */
export const DiLabelsNationaux = ['france-service', 'caf', 'cidff', 'mdph', 'mission-locale', 'france-travail', 'point-justice'] as const;
/** Typologies de structures (v0 TypologieStructure): those Relais may emit. */
export const DiTypologies = [
  'RFS',
  'MUNI',
  'LA_POSTE',
  'ASSO',
  'CAF',
  'CPAM',
  'MSA',
  'FT',
  'DEPT',
  'ML',
  'CCAS',
  'MDPH',
  'UDAF',
  'CIDFF',
  'Autre',
] as const;
export const DiTypologiesService = [
  'accompagnement',
  'accueil',
  'aide-financiere',
  'aide-materielle',
  'atelier',
  'formation',
  'information',
  'numerique',
  'autonomie',
  'delegation',
  'financement',
] as const;
export const DiModesAccueil = ['a-distance', 'en-presentiel'] as const;
export const DiProfils = ['tous-publics'] as const;

export const DiStructure = z.strictObject({
  id: z.string().min(1),
  siret: nullable(z.string().regex(/^\d{14}$/)),
  rna: nullable(z.string().regex(/^W\d{9}$/)),
  nom: Nom,
  commune: nullable(z.string()),
  code_postal: nullable(CodePostal),
  code_insee: nullable(CodeInsee),
  adresse: nullable(z.string()),
  complement_adresse: nullable(z.string()),
  longitude: nullable(z.number()),
  latitude: nullable(z.number()),
  typologie: nullable(z.enum(DiTypologies)),
  telephone: nullable(z.string()),
  courriel: nullable(z.email()),
  site_web: nullable(Uri),
  presentation_resume: nullable(z.string().max(280)),
  presentation_detail: nullable(z.string()),
  source: z.string().min(1),
  date_maj: DateMaj,
  antenne: nullable(z.boolean()),
  lien_source: nullable(Uri),
  /** OpenStreetMap opening_hours. */
  horaires_ouverture: nullable(z.string()),
  /** Link to the place's acceslibre page. */
  accessibilite: nullable(Uri),
  labels_nationaux: nullable(uniqueArray(z.enum(DiLabelsNationaux))),
  labels_autres: nullable(uniqueArray(z.string())),
  thematiques: nullable(uniqueArray(z.enum(DiThematiques))),
});
export type DiStructure = z.infer<typeof DiStructure>;

export const DiService = z.strictObject({
  id: z.string().min(1),
  structure_id: z.string().min(1),
  source: z.string().min(1),
  nom: Nom,
  presentation_resume: nullable(z.string().max(280)),
  presentation_detail: nullable(z.string()),
  types: nullable(uniqueArray(z.enum(DiTypologiesService))),
  thematiques: nullable(uniqueArray(z.enum(DiThematiques))),
  frais: nullable(uniqueArray(z.enum(['gratuit', 'gratuit-sous-conditions', 'payant', 'adhesion', 'pass-numerique']))),
  profils: nullable(uniqueArray(z.enum(DiProfils))),
  modes_accueil: nullable(uniqueArray(z.enum(DiModesAccueil))),
  commune: nullable(z.string()),
  code_postal: nullable(CodePostal),
  code_insee: nullable(CodeInsee),
  adresse: nullable(z.string()),
  complement_adresse: nullable(z.string()),
  longitude: nullable(z.number()),
  latitude: nullable(z.number()),
  telephone: nullable(z.string()),
  courriel: nullable(z.email()),
  page_web: nullable(Uri),
  recurrence: nullable(z.string()),
  date_maj: DateMaj,
  zone_diffusion_type: nullable(z.enum(['commune', 'epci', 'region', 'departement', 'pays'])),
  zone_diffusion_code: nullable(z.string()),
  zone_diffusion_nom: nullable(z.string()),
});
export type DiService = z.infer<typeof DiService>;

/** The export of a territory's network (and what the data·inclusion import reads). */
export const DiExport = z.object({ structures: z.array(z.unknown()), services: z.array(z.unknown()).optional() });
