import { commune, type SeedTerritory } from './model.ts';

/**
 * A second, smaller demo territory: the public-services bus touring the villages of the Grand
 * Cahors (PRODUCT.md: "Lot: 508 users in 4 months"). Same rules as perche.ts: real communes,
 * fictitious people, numbers (05 65 00 …) and matricules.
 */

const cahors = commune('Cahors', '46042', '46000', 44.4491, 1.4366);
const pradines = commune('Pradines', '46224', '46090', 44.4789, 1.4039);
const mercues = commune('Mercuès', '46191', '46090', 44.4972, 1.3878);
const arcambal = commune('Arcambal', '46007', '46090', 44.4558, 1.5153);
const saintGeryVers = commune('Saint Géry-Vers', '46268', '46330', 44.4789, 1.5828);
const lalbenque = commune('Lalbenque', '46148', '46230', 44.3384, 1.5452);
const labastideMarnhac = commune('Labastide-Marnhac', '46137', '46090', 44.3856, 1.3969);
const trespoux = commune('Trespoux-Rassiels', '46322', '46090', 44.4158, 1.3694);
const catus = commune('Catus', '46064', '46150', 44.5586, 1.3344);
const douelle = commune('Douelle', '46088', '46140', 44.4706, 1.3581);

export const LOT: SeedTerritory = {
  slug: 'lot-grand-cahors',
  name: 'Lot — Grand Cahors',
  departmentCode: '46',
  regionCode: '76',
  timezone: 'Europe/Paris',
  contactPoints: [
    {
      name: 'France Services du Grand Cahors',
      kind: 'france_services',
      ...cahors,
      matricule: '9101',
      labelDate: '2020-01-01',
      address: 'Maison France Services, place Charles de Gaulle',
      phone: '05 65 00 10 01',
      email: 'franceservices.cahors@relais.demo',
      website: 'https://www.france-services.gouv.fr',
      managingBody: 'Communauté d’agglomération du Grand Cahors',
      managingBodyType: 'Communauté d’agglomération',
      description:
        'Accueil polyvalent, aide aux démarches en ligne, rendez-vous en visio avec les partenaires ; base du bus des services publics.',
      accessibility: 'Accès de plain-pied, boucle magnétique.',
      wheelchairAccessible: true,
      openingHours: 'Mo-Fr 08:30-12:30,13:30-17:00; PH off',
      themes: ['papiers-citoyennete', 'famille', 'social-sante', 'emploi-formation', 'argent-impots', 'retraite', 'numerique'],
      partners: [
        { code: 'CAF', note: 'permanence le lundi matin' },
        { code: 'CPAM', note: 'visio sur rendez-vous' },
        { code: 'MSA' },
        { code: 'FRANCE_TRAVAIL' },
      ],
      agents: [
        { email: 'agent.cahors@relais.demo', displayName: 'Mathilde Delpech' },
        { email: 'agent2.cahors@relais.demo', displayName: 'Sébastien Lacombe' },
      ],
    },
    {
      name: 'Bus des services publics du Grand Cahors',
      kind: 'bus',
      ...cahors,
      address: 'Itinérant (départ de la France Services de Cahors)',
      phone: '05 65 00 10 02',
      email: 'bus.grandcahors@relais.demo',
      managingBody: 'Communauté d’agglomération du Grand Cahors',
      managingBodyType: 'Communauté d’agglomération',
      description:
        'Le bus des services publics passe chaque semaine dans les communes du Grand Cahors. Horaires : voir le calendrier des arrêts.',
      accessibility: 'Bus équipé d’une rampe d’accès.',
      wheelchairAccessible: true,
      openingHours: null,
      themes: ['papiers-citoyennete', 'famille', 'social-sante', 'numerique'],
      partners: [{ code: 'CAF' }, { code: 'CPAM' }, { code: 'FRANCE_TRAVAIL' }],
      agents: [{ email: 'agent.bus-cahors@relais.demo', displayName: 'Laetitia Cassagne' }],
    },
  ],
  partners: [
    {
      code: 'CAF',
      name: 'Caisse d’allocations familiales du Lot',
      acronym: 'CAF',
      localDescription: 'Permanence hebdomadaire à la France Services du Grand Cahors.',
      phone: '05 65 00 20 01',
      email: 'partenaires.caf46@relais.demo',
      website: 'https://www.caf.fr',
      referents: [
        {
          fullName: 'Florence Vayssière',
          title: 'référente France Services',
          email: 'florence.vayssiere@caf46.relais.demo',
          phone: '05 65 00 20 11',
          availability: 'du lundi au vendredi',
          themes: ['famille', 'logement'],
        },
      ],
    },
    {
      code: 'CPAM',
      name: 'Caisse primaire d’assurance maladie du Lot',
      acronym: 'CPAM',
      localDescription: 'Rendez-vous en visio depuis la France Services et le bus.',
      phone: '05 65 00 20 02',
      email: 'partenaires.cpam46@relais.demo',
      website: 'https://www.ameli.fr',
      referents: [
        {
          fullName: 'Thierry Bouzou',
          title: 'référent partenaires',
          email: 'thierry.bouzou@cpam46.relais.demo',
          phone: '05 65 00 20 21',
          availability: 'mardi et jeudi',
          themes: ['social-sante'],
        },
      ],
    },
    {
      code: 'MSA',
      name: 'MSA Midi-Pyrénées Nord',
      acronym: 'MSA',
      localDescription: 'Ressortissants agricoles du Grand Cahors.',
      phone: '05 65 00 20 03',
      email: 'partenaires.msa-mpn@relais.demo',
      website: 'https://www.msa.fr',
      referents: [
        {
          fullName: 'Josiane Marty',
          title: 'conseillère protection sociale',
          email: 'josiane.marty@msa-mpn.relais.demo',
          phone: '05 65 00 20 31',
          availability: 'le matin',
          themes: ['social-sante', 'retraite'],
        },
      ],
    },
    {
      code: 'FRANCE_TRAVAIL',
      name: 'France Travail Cahors',
      acronym: 'France Travail',
      localDescription: 'Agence de Cahors.',
      phone: '05 65 00 20 04',
      email: 'partenaires.francetravail46@relais.demo',
      website: 'https://www.francetravail.fr',
      referents: [
        {
          fullName: 'Nicolas Lafon',
          title: 'conseiller référent',
          email: 'nicolas.lafon@francetravail46.relais.demo',
          phone: '05 65 00 20 41',
          availability: 'réponse sous 4 jours ouvrés',
          themes: ['emploi-formation'],
        },
        {
          fullName: 'Amandine Rigal',
          title: 'conseillère entreprises',
          email: 'amandine.rigal@francetravail46.relais.demo',
          phone: '05 65 00 20 42',
          availability: 'lundi et vendredi',
          themes: ['emploi-formation'],
        },
      ],
    },
  ],
  busRounds: [
    {
      contactPoint: 'Bus des services publics du Grand Cahors',
      slots: [
        { weekday: 0, start: '09:00', end: '12:00', place: 'Parking de la mairie', stop: pradines },
        { weekday: 0, start: '14:00', end: '17:00', place: 'Place de l’Église', stop: mercues },
        { weekday: 1, start: '09:00', end: '12:00', place: 'Parking de la salle des fêtes', stop: arcambal },
        { weekday: 1, start: '14:00', end: '17:00', place: 'Saint-Géry, place de la Mairie', stop: saintGeryVers },
        { weekday: 2, start: '09:00', end: '12:30', place: 'Place du marché', stop: lalbenque },
        { weekday: 3, start: '09:00', end: '12:00', place: 'Parking de la salle des fêtes', stop: labastideMarnhac },
        { weekday: 3, start: '14:00', end: '17:00', place: 'Place de la Mairie', stop: trespoux },
        { weekday: 4, start: '09:00', end: '12:00', place: 'Place de la Halle', stop: catus },
        { weekday: 4, start: '14:00', end: '17:00', place: 'Parking du foyer rural', stop: douelle },
      ],
    },
  ],
};
