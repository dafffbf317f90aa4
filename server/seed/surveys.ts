import type { Executor } from '../db/client.ts';
import { surveyResponses } from '../modules/observatory/observatory.schema.ts';
import { dayIn } from '../modules/observatory/surveys.service.ts';
import type { BuiltTerritory } from './build.ts';

/**
 * A year of anonymous survey answers for the Perche (deterministic): a few hundred, by contact
 * point, channel and context, the bus at about 96 % satisfied, the others between 85 and 93 %.
 * Only answers (the links are made by the agents): nothing here names a visit or a person.
 */
interface Profile {
  contactPoint: string;
  /** Answers over the year. */
  answers: number;
  /** Share answering 3 or 4 (« satisfait(e) »). */
  satisfied: number;
  channels: [string, number][];
  contexts: ['accueil' | 'lieu' | 'arret_bus' | 'saisine', number][];
}

const PROFILES: Profile[] = [
  {
    contactPoint: 'Bus numérique 61',
    answers: 100,
    satisfied: 0.96,
    channels: [['arret_bus', 1]],
    contexts: [
      ['arret_bus', 0.7],
      ['accueil', 0.3],
    ],
  },
  {
    contactPoint: 'France Services de Mortagne-au-Perche',
    answers: 110,
    satisfied: 0.92,
    channels: [
      ['sur_place', 0.75],
      ['telephone', 0.2],
      ['visio', 0.05],
    ],
    contexts: [
      ['lieu', 0.5],
      ['accueil', 0.4],
      ['saisine', 0.1],
    ],
  },
  {
    contactPoint: 'France Services intercommunale de Val-au-Perche',
    answers: 60,
    satisfied: 0.9,
    channels: [
      ['sur_place', 0.8],
      ['telephone', 0.2],
    ],
    contexts: [
      ['lieu', 0.4],
      ['accueil', 0.5],
      ['saisine', 0.1],
    ],
  },
  {
    contactPoint: 'France Services postale de Rémalard-en-Perche',
    answers: 45,
    satisfied: 0.87,
    channels: [['sur_place', 1]],
    contexts: [
      ['lieu', 0.6],
      ['accueil', 0.4],
    ],
  },
  {
    contactPoint: 'Mairie de Bretoncelles',
    answers: 30,
    satisfied: 0.9,
    channels: [
      ['sur_place', 0.7],
      ['telephone', 0.3],
    ],
    contexts: [
      ['accueil', 0.8],
      ['saisine', 0.2],
    ],
  },
  {
    contactPoint: 'Mairie de Rémalard-en-Perche',
    answers: 20,
    satisfied: 0.85,
    channels: [['sur_place', 1]],
    contexts: [['accueil', 1]],
  },
];

const COMMENTS = [
  'Très bon accueil, merci pour votre patience.',
  'On m’a aidé à faire ma demande de retraite en ligne, je n’y serais pas arrivé seul.',
  'Pratique d’avoir le bus au village, plus besoin d’aller à Mortagne.',
  'Un peu d’attente mais la personne a pris le temps.',
  'Explications claires pour ma déclaration d’impôts.',
  'Il faudrait plus de créneaux le samedi matin.',
  'Rendez-vous CAF obtenu rapidement grâce à l’agent.',
  'Je n’ai pas compris pourquoi mon dossier n’avance pas.',
];

/** mulberry32: a small seeded generator, so that the demo is the same at every start. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pick = <T>(r: number, weights: [T, number][]): T => {
  let acc = 0;
  for (const [value, w] of weights) {
    acc += w;
    if (r < acc) return value;
  }
  return weights[weights.length - 1]![0];
};

export async function seedDemoSurveys(tx: Executor, built: BuiltTerritory, timezone: string, now: Date): Promise<number> {
  const rand = random(61_2026);
  const rows: (typeof surveyResponses.$inferInsert)[] = [];
  for (const p of PROFILES) {
    const contactPointId = built.contactPointIds.get(p.contactPoint);
    if (!contactPointId) continue;
    for (let i = 0; i < p.answers; i++) {
      // Spread over the last 365 days (the day only, in the territory's time zone).
      const answeredOn = dayIn(timezone, new Date(now.getTime() - Math.floor(rand() * 365) * 86_400_000));
      const satisfied = rand() < p.satisfied;
      const satisfaction = satisfied ? (rand() < 0.6 ? 4 : 3) : rand() < 0.7 ? 2 : 1;
      const context = pick(rand(), p.contexts);
      const r = rand();
      rows.push({
        territoryId: built.territoryId,
        contactPointId,
        channel: context === 'saisine' ? null : pick(rand(), p.channels),
        context,
        answeredOn,
        satisfaction,
        resolved: satisfied ? (r < 0.75 ? 'oui' : 'en_partie') : r < 0.4 ? 'en_partie' : 'non',
        listened: rand() < 0.9 ? Math.min(4, Math.max(1, satisfaction + (rand() < 0.2 ? 1 : 0) - (rand() < 0.1 ? 1 : 0))) : null,
        recommend: rand() < 0.85 ? satisfied || rand() < 0.2 : null,
        comment: rand() < 0.08 ? COMMENTS[Math.floor(rand() * COMMENTS.length)]! : null,
      });
    }
  }
  if (rows.length) await tx.insert(surveyResponses).values(rows);
  return rows.length;
}
