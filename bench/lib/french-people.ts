import { formatNir, nirKey } from '../../server/platform/nir.ts';

/**
 * Deterministic, realistic person files of a French département: common first names and surnames
 * (accents, hyphens, particles, ligatures), birth names, birth dates, mobile phones and valid NIRs.
 * Person i is the same every run, so a sample can be drawn again without keeping 500,000 in memory.
 */

const WOMEN = `Marie Nathalie Isabelle Sylvie Catherine Françoise Martine Christine Monique Valérie Sandrine Stéphanie
Céline Chloé Zoé Léa Noémie Anaïs Maëlle Hélène Thérèse Geneviève Agnès Mégane Élodie Émilie Amélie Aurélie Véronique
Yasmine Inès Fatima Nadia Emma Jade Louise Alice Lina Camille Manon Sarah Laura Julie Pauline Margaux Océane Jacqueline
Colette Odette Ginette Josiane Brigitte Christiane Annie Yvette Marie-Thérèse Anne-Sophie Marie-Hélène Marie-Claire
Anne-Laure Éloïse Maïwenn Bérénice Clémence Laëtitia Gwenaëlle Rose Jeanne Lucie Mélanie`.split(/\s+/);

const MEN = `Jean Pierre Michel André Philippe Alain Patrick Nicolas Christophe Stéphane Sébastien Jérôme Cédric Loïc Gaël
Raphaël Joël Benoît François Léon Frédéric Jérémy Grégory Clément Théo Lucas Hugo Nathan Louis Gabriel Jules Arthur Adam
Mohamed Karim Sofiane Mathéo Enzo Quentin Maxime Antoine Julien Thomas Alexandre Romain Guillaume Vincent David Olivier
Bernard Daniel Jacques Gérard Roger Jean-Pierre Jean-Luc Jean-François Pierre-Yves Jean-Noël Jean-Michel Hervé Yannick
Mickaël Noël Anthony Kévin Dylan Valentin Aurélien Thierry Pascal Éric Rémi`.split(/\s+/);

const SURNAMES = `Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèvre Michel Garcia David
Bertrand Roux Vincent Fournier Morel Girard André Lefebvre Mercier Dupont Lambert Bonnet François Martinez Legrand Garnier
Faure Rousseau Blanc Guérin Muller Henry Roussel Nicolas Perrin Morin Mathieu Clément Gauthier Dumont Lopez Fontaine
Chevalier Robin Masson Sanchez Gérard Nguyen Boyer Denis Lemaire Duval Joly Gautier Roger Roche Roy Noël Meyer Lucas
Meunier Jean Perez Marchand Dufour Blanchard Marie Barbier Brun Dumas Brunet Schmitt Leroux Colin Fernandez Pierre Renard
Arnaud Rolland Caron Aubert Giraud Leclerc Vidal Bourgeois Renaud Lemoine Picard Gaillard Philippe Leclercq Lacroix Fabre
Dupuis Olivier Rodriguez Hubert Louis Charles Guillot Rivière Guillaume Adam Rey Moulin Gonzalez Berger Lecomte Ménard
Fleury Deschamps Carpentier Julien Benoît Paris Maillard Marchal Aubry Vasseur Renault Jacquet Collet Prévost Poirier
Charpentier Royer Huet Baron Dupuy Pons Paul Laine Carré Bréant Lefort Hervé Besnard Lebreton Lebrun Bouvier Lemaître
Cordier Gilbert Tessier Lévêque Bigot Chauvin Boulanger Saint-Martin Dupré-Latour Lebœuf Bénard Hébert Prud’homme
Pelletier Guillou Jégou Hamon Lelièvre Létang Trémeau Château Gaudré Vallée Bazin Daoudi Benali Diallo Traoré`
  .split(/\s+/)
  .concat(['Da Silva', 'Le Gall', 'Le Roux', 'Le Bihan', 'De La Fontaine', 'Dos Santos', 'Ben Ahmed']);

const COMMUNES = [
  ['Alençon', '61000'],
  ['Argentan', '61200'],
  ['Flers', '61100'],
  ['L’Aigle', '61300'],
  ['Mortagne-au-Perche', '61400'],
  ['Sées', '61500'],
  ['La Ferté-Macé', '61600'],
  ['Domfront en Poiraie', '61700'],
  ['Vimoutiers', '61120'],
  ['Bellême', '61130'],
] as const;

/** A fast seeded generator (mulberry32): person i always gets the same draws. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Common names come up more often: index skewed towards the start of the list. */
const pickSkewed = <T>(list: readonly T[], r: number) => list[Math.floor(list.length * r ** 1.6)]!;
const pick = <T>(list: readonly T[], r: number) => list[Math.floor(list.length * r)]!;
const digits = (rand: () => number, n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');

export interface GeneratedPerson {
  firstName: string;
  lastName: string;
  birthName: string | null;
  /** YYYY-MM-DD. */
  birthDate: string;
  /** As stored (normalised): 10 digits. */
  phone: string | null;
  /** Normalised, 15 characters, valid key; null for ~40 % of files. */
  nir: string | null;
  commune: string;
  postcode: string;
  /** Indexes of the contact points holding the file: one, or two for ~20 %. */
  contactPoints: number[];
}

const DAY = 86_400_000;
const FIRST_BIRTH = Date.UTC(1930, 0, 1);
const BIRTH_SPAN_DAYS = 78 * 365;

export function generatePerson(i: number, contactPointCount: number): GeneratedPerson {
  const rand = seeded(i * 2654435761 + 2026);
  const woman = rand() < 0.52;
  const firstName = pickSkewed(woman ? WOMEN : MEN, rand());
  const lastName = pickSkewed(SURNAMES, rand());
  const birthName = woman && rand() < 0.3 ? pickSkewed(SURNAMES, rand()) : null;
  const born = new Date(FIRST_BIRTH + Math.floor(rand() * BIRTH_SPAN_DAYS) * DAY);
  const birthDate = born.toISOString().slice(0, 10);
  const phone = rand() < 0.85 ? `0${rand() < 0.7 ? 6 : 7}${digits(rand, 8)}` : null;
  let nir: string | null = null;
  if (rand() < 0.6) {
    const month = String(born.getUTCMonth() + 1).padStart(2, '0');
    const commune = String(1 + Math.floor(rand() * 499)).padStart(3, '0');
    const order = String(1 + Math.floor(rand() * 998)).padStart(3, '0');
    const body = `${woman ? 2 : 1}${birthDate.slice(2, 4)}${month}61${commune}${order}`;
    nir = `${body}${String(nirKey(body)).padStart(2, '0')}`;
  }
  const [commune, postcode] = pick(COMMUNES, rand());
  const first = Math.floor(rand() * contactPointCount);
  const contactPoints = rand() < 0.2 ? [first, (first + 1 + Math.floor(rand() * (contactPointCount - 1))) % contactPointCount] : [first];
  return { firstName, lastName, birthName, birthDate, phone, nir, commune, postcode, contactPoints };
}

const stripAccents = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '');
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** One typing mistake in a word of 4 letters or more: a letter dropped, doubled, swapped with the next or replaced. */
function typo(word: string, rand: () => number): string {
  if (word.length < 4) return word;
  const at = 1 + Math.floor(rand() * (word.length - 2));
  switch (Math.floor(rand() * 4)) {
    case 0:
      return word.slice(0, at) + word.slice(at + 1);
    case 1:
      return word.slice(0, at) + word[at] + word.slice(at);
    case 2:
      return word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
    default:
      return word.slice(0, at) + pick([...LETTERS], rand()) + word.slice(at + 1);
  }
}

/**
 * What an agent types to find person i: « Prénom Nom » (half the time), the surname alone or
 * « Nom Prénom », with a typo in the surname (60 %) and the accents left out (40 %).
 */
export function nameQuery(p: GeneratedPerson, seed: number): string {
  const rand = seeded(seed * 7919 + 17);
  const shape = rand();
  const last = rand() < 0.6 ? typo(p.lastName, rand) : p.lastName;
  const typed = shape < 0.5 ? `${p.firstName} ${last}` : shape < 0.8 ? last : `${last} ${p.firstName}`;
  return rand() < 0.4 ? stripAccents(typed) : typed;
}

/** A phone as typed: « 06 12 34 56 78 ». */
export const typedPhone = (phone: string) => phone.replace(/(\d{2})(?=\d)/g, '$1 ');

/** A NIR as read from a carte Vitale: « 2 84 05 61 123 456 42 ». */
export const typedNir = formatNir;
