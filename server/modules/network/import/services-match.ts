/**
 * Which partner organisation of the territory a data·inclusion service stands for.
 *
 * The rule, in this order (nothing is guessed beyond it):
 * 1. Our own export: a service id `<structure id>--<organisation id>` whose organisation id is an
 *    organisation of this territory.
 * 2. Otherwise the partners named in the service `nom`: an organisation is named when its full
 *    name, its acronym or its national operator code appears there as whole words (case, accents
 *    and punctuation ignored: « CAF de l’Orne – accompagnement… », « Permanence CAF »). Exactly one
 *    organisation named → that one; several → ambiguous, reported.
 * 3. Only when `nom` names none, the same search in `source` (the producer: « france-travail »).
 * Anything else is reported with its reason, and no partner is linked.
 */

export interface MatchableOrganisation {
  id: string;
  name: string;
  acronym: string;
  nationalCode: string | null;
}

export type PartnerMatch = { organisationId: string; by: 'id' | 'nom' | 'source' } | { organisationId: null; reason: string };

/** Lower case, no accents, words separated by single spaces (apostrophes and dashes are separators). */
export function normalizeWords(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const OUR_SERVICE_ID = /--([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

function named(text: string | null, organisations: readonly MatchableOrganisation[]): MatchableOrganisation[] {
  if (!text) return [];
  const haystack = ` ${normalizeWords(text)} `;
  return organisations.filter((o) =>
    [o.name, o.acronym, o.nationalCode].some((alias) => {
      const needle = alias ? normalizeWords(alias) : '';
      return needle.length > 0 && haystack.includes(` ${needle} `);
    }),
  );
}

const labels = (found: MatchableOrganisation[]) => found.map((o) => o.acronym).join(', ');

export function matchPartner(
  service: { id: string | null; nom: string | null; source: string | null },
  organisations: readonly MatchableOrganisation[],
): PartnerMatch {
  const ownId = service.id?.match(OUR_SERVICE_ID)?.[1]?.toLowerCase();
  if (ownId) {
    const organisation = organisations.find((o) => o.id === ownId);
    if (organisation) return { organisationId: organisation.id, by: 'id' };
  }
  for (const field of ['nom', 'source'] as const) {
    const found = named(service[field], organisations);
    if (found.length === 1) return { organisationId: found[0]!.id, by: field };
    if (found.length > 1) {
      return { organisationId: null, reason: `plusieurs partenaires du territoire nommés dans « ${field} » (${labels(found)}) : ambigu` };
    }
  }
  return { organisationId: null, reason: 'aucun partenaire du territoire reconnu dans « nom » ni « source »' };
}
