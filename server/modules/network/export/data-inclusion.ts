import { and, eq, isNull } from 'drizzle-orm';
import type { AppContext } from '../../../app-context.ts';
import { type Actor, authorize } from '../../../platform/authorize.ts';
import { notFound } from '../../../platform/errors.ts';
import { contactPointPartners, contactPoints, partnerOrganisations, territories } from '../network.schema.ts';
import type { DiLabelsNationaux, DiService, DiStructure, DiThematiques, DiTypologies } from './data-inclusion.schema.ts';

/** The `source` of the records Relais publishes. */
export const DI_SOURCE = 'relais';

type Thematique = (typeof DiThematiques)[number];

/**
 * Our themes (contracts/themes.ts) → data·inclusion v0 thématiques. « retraite » has no
 * counterpart in the v0 list and is left out rather than forced into a wrong one.
 */
export const THEME_TO_THEMATIQUES: Record<string, Thematique[]> = {
  'papiers-citoyennete': ['acces-aux-droits-et-citoyennete--accompagnement-dans-les-demarches-administratives'],
  famille: ['famille'],
  'social-sante': ['sante', 'acces-aux-droits-et-citoyennete--connaitre-ses-droits'],
  'emploi-formation': ['trouver-un-emploi', 'se-former'],
  logement: ['logement-hebergement'],
  mobilite: ['mobilite'],
  'argent-impots': ['gestion-financiere'],
  justice: ['acces-aux-droits-et-citoyennete--accompagnement-juridique'],
  etrangers: ['acces-aux-droits-et-citoyennete--demandeurs-dasile-et-naturalisation'],
  retraite: [],
  numerique: ['numerique'],
};

const KIND_TYPOLOGY: Partial<Record<string, (typeof DiTypologies)[number]>> = {
  france_services: 'RFS',
  mairie: 'MUNI',
  bureau_de_poste: 'LA_POSTE',
  association: 'ASSO',
};
const KIND_LABELS: Partial<Record<string, (typeof DiLabelsNationaux)[number][]>> = { france_services: ['france-service'] };

export function thematiquesOf(themes: readonly string[]): Thematique[] | null {
  const out = [...new Set(themes.flatMap((t) => THEME_TO_THEMATIQUES[t] ?? []))];
  return out.length ? out : null;
}

/** 02 33 25 00 00 → +33233250000 (E.164, as the schema prefers); other numbers as they are. */
export function e164(phone: string | null): string | null {
  if (!phone) return null;
  const digits = phone.replace(/[\s.\-()]/g, '');
  return /^0[1-9][0-9]{8}$/.test(digits) ? `+33${digits.slice(1)}` : digits;
}

/** A name the schema accepts: 3 to 150 characters, not ending with a period. */
const diName = (name: string) => {
  const trimmed = name.trim().replace(/\.+$/, '').slice(0, 150).trim();
  return trimmed.length >= 3 ? trimmed : `${trimmed} (lieu)`;
};
const day = (d: Date) => d.toISOString().slice(0, 10);
const summary = (text: string | null) => {
  if (!text) return { resume: null, detail: null };
  if (text.length <= 280) return { resume: text, detail: null };
  return { resume: `${text.slice(0, 279).trimEnd()}…`, detail: text };
};

/** The structure id: the ANCT matricule when there is one (stable across tools), else our id. */
export const structureIdOf = (cp: { id: string; matricule: string | null }) => cp.matricule ?? cp.id;

/** The territory's open contact points as data·inclusion structures, and the partners served there as services. */
export async function exportDataInclusion(ctx: AppContext, actor: Actor, territoryId: string) {
  authorize(actor, 'territory.read', { territoryId });
  return buildDataInclusionExport(ctx, territoryId);
}

/** The export itself, without authorization (the CLI is an administrator's tool). */
export async function buildDataInclusionExport(ctx: AppContext, territoryId: string) {
  const [territory] = await ctx.db.select().from(territories).where(eq(territories.id, territoryId));
  if (!territory) throw notFound('Ce territoire');
  const points = await ctx.db
    .select()
    .from(contactPoints)
    .where(and(eq(contactPoints.territoryId, territoryId), isNull(contactPoints.closedAt)))
    .orderBy(contactPoints.name);
  const served = await ctx.db
    .select({ link: contactPointPartners, organisation: partnerOrganisations })
    .from(contactPointPartners)
    .innerJoin(partnerOrganisations, eq(partnerOrganisations.id, contactPointPartners.organisationId))
    .where(eq(contactPointPartners.territoryId, territoryId));

  const structures: DiStructure[] = points.map((cp) => {
    const text = summary(cp.description);
    return {
      id: structureIdOf(cp),
      siret: null,
      rna: null,
      nom: diName(cp.name),
      commune: cp.commune,
      code_postal: cp.postcode,
      code_insee: cp.inseeCode,
      adresse: cp.address,
      complement_adresse: cp.addressComplement,
      longitude: cp.longitude,
      latitude: cp.latitude,
      typologie: KIND_TYPOLOGY[cp.kind] ?? null,
      telephone: e164(cp.phone),
      courriel: cp.email,
      site_web: cp.website,
      presentation_resume: text.resume,
      presentation_detail: text.detail,
      source: DI_SOURCE,
      date_maj: day(cp.updatedAt),
      antenne: cp.kind === 'antenne' ? true : null,
      lien_source: null,
      horaires_ouverture: cp.openingHours,
      accessibilite: null,
      labels_nationaux: KIND_LABELS[cp.kind] ?? null,
      labels_autres: null,
      thematiques: thematiquesOf(cp.themes),
    };
  });

  const byId = new Map(points.map((cp) => [cp.id, cp]));
  const services: DiService[] = [];
  for (const { link, organisation } of served) {
    const cp = byId.get(link.contactPointId);
    if (!cp) continue; // closed place
    const remote = /visio|distance|téléphone/i.test(link.note ?? '');
    const text = summary(link.note);
    services.push({
      id: `${structureIdOf(cp)}--${organisation.id}`,
      structure_id: structureIdOf(cp),
      source: DI_SOURCE,
      nom: diName(`${organisation.name} – accompagnement dans les démarches`),
      presentation_resume: text.resume,
      presentation_detail: text.detail,
      types: ['accompagnement', 'information'],
      thematiques: thematiquesOf(organisation.themes),
      frais: ['gratuit'],
      profils: ['tous-publics'],
      modes_accueil: remote ? ['en-presentiel', 'a-distance'] : ['en-presentiel'],
      commune: cp.commune,
      code_postal: cp.postcode,
      code_insee: cp.inseeCode,
      adresse: cp.address,
      complement_adresse: cp.addressComplement,
      longitude: cp.longitude,
      latitude: cp.latitude,
      telephone: e164(cp.phone),
      courriel: cp.email,
      page_web: organisation.website,
      recurrence: link.note,
      date_maj: day(new Date(Math.max(link.createdAt.getTime(), cp.updatedAt.getTime()))),
      zone_diffusion_type: cp.inseeCode ? 'commune' : null,
      zone_diffusion_code: cp.inseeCode,
      zone_diffusion_nom: cp.inseeCode ? cp.commune : null,
    });
  }
  return { structures, services, territory };
}
