import type { PostMessageBody, UsefulnessRating } from '../../contracts/requests.ts';

/**
 * The story of the demo requests (saisines) in the Perche: who sends what to whom, and what
 * happens next, dated in working days before the seed. Every person, number and message is
 * fictitious. `requests.ts` plays it through the request services.
 */

/** The first referent of each partner that receives demo requests gets an account (the CAF's has one already). */
export const DEMO_PARTNER_ACCOUNTS = [
  { code: 'CPAM', email: 'franck.morel@cpam61.relais.demo', displayName: 'Franck Morel' },
  { code: 'CNAV', email: 'pascal.giraud@carsat.relais.demo', displayName: 'Pascal Giraud' },
  { code: 'MSA', email: 'sylvie.perrin@msa.relais.demo', displayName: 'Sylvie Perrin' },
  { code: 'FRANCE_TRAVAIL', email: 'celine.barbier@francetravail.relais.demo', displayName: 'Céline Barbier' },
  { code: 'DGFIP', email: 'laurent.chauvin@dgfip.relais.demo', displayName: 'Laurent Chauvin' },
  { code: 'ANTS', email: 'gilles.bertin@ants.relais.demo', displayName: 'Gilles Bertin' },
] as const;

const CAF = 'referent.caf@relais.demo';
const CPAM = 'franck.morel@cpam61.relais.demo';
const CNAV = 'pascal.giraud@carsat.relais.demo';
const MSA = 'sylvie.perrin@msa.relais.demo';
const FT = 'celine.barbier@francetravail.relais.demo';
const DGFIP = 'laurent.chauvin@dgfip.relais.demo';
const ANTS = 'gilles.bertin@ants.relais.demo';

/** Fictitious people whose requests the demo follows, each held by the contact point that sends them. */
export const REQUEST_PEOPLE: Record<
  string,
  { firstName: string; lastName: string; birthDate: string; phone: string; commune: string; at: string }
> = {
  hubert: {
    firstName: 'Jessica',
    lastName: 'Hubert',
    birthDate: '1991-06-14',
    phone: '0600000201',
    commune: 'Bretoncelles',
    at: 'Mairie de Bretoncelles',
  },
  roger: {
    firstName: 'Damien',
    lastName: 'Roger',
    birthDate: '1987-02-03',
    phone: '0600000202',
    commune: 'Mortagne-au-Perche',
    at: 'France Services de Mortagne-au-Perche',
  },
  fouquet: {
    firstName: 'Sabrina',
    lastName: 'Fouquet',
    birthDate: '1985-10-27',
    phone: '0600000203',
    commune: 'Rémalard en Perche',
    at: 'France Services postale de Rémalard-en-Perche',
  },
  perrot: {
    firstName: 'Ludovic',
    lastName: 'Perrot',
    birthDate: '1979-04-09',
    phone: '0600000204',
    commune: 'Val-au-Perche',
    at: 'France Services intercommunale de Val-au-Perche',
  },
  leclerc: {
    firstName: 'Amandine',
    lastName: 'Leclerc',
    birthDate: '1996-12-01',
    phone: '0600000205',
    commune: 'Berd’huis',
    at: 'Mairie de Berd’huis',
  },
  benhamou: {
    firstName: 'Nadia',
    lastName: 'Benhamou',
    birthDate: '1993-08-19',
    phone: '0600000206',
    commune: 'Perche en Nocé',
    at: 'Mairie de Perche-en-Nocé',
  },
  marin: {
    firstName: 'Gérard',
    lastName: 'Marin',
    birthDate: '1956-01-30',
    phone: '0600000207',
    commune: 'Rémalard en Perche',
    at: 'Mairie de Rémalard-en-Perche',
  },
  lamy: {
    firstName: 'Christophe',
    lastName: 'Lamy',
    birthDate: '1970-05-22',
    phone: '0600000208',
    commune: 'Mortagne-au-Perche',
    at: 'France Services de Mortagne-au-Perche',
  },
  julien: {
    firstName: 'Stéphanie',
    lastName: 'Julien',
    birthDate: '1982-11-11',
    phone: '0600000209',
    commune: 'Val-au-Perche',
    at: 'France Services intercommunale de Val-au-Perche',
  },
  vallee: {
    firstName: 'Jean-Pierre',
    lastName: 'Vallée',
    birthDate: '1962-03-17',
    phone: '0600000210',
    commune: 'Rémalard en Perche',
    at: 'France Services postale de Rémalard-en-Perche',
  },
  huet: {
    firstName: 'Patrick',
    lastName: 'Huet',
    birthDate: '1963-09-05',
    phone: '0600000211',
    commune: 'Mortagne-au-Perche',
    at: 'Agence MSA de Mortagne-au-Perche',
  },
  gasnier: {
    firstName: 'Thierry',
    lastName: 'Gasnier',
    birthDate: '1968-07-13',
    phone: '0600000212',
    commune: 'Tourouvre au Perche',
    at: 'Agence MSA de Mortagne-au-Perche',
  },
  chevallier: {
    firstName: 'Élodie',
    lastName: 'Chevallier',
    birthDate: '1990-02-25',
    phone: '0600000213',
    commune: 'Perche en Nocé',
    at: 'Mairie de Perche-en-Nocé',
  },
  renard: {
    firstName: 'Mickaël',
    lastName: 'Renard',
    birthDate: '1998-10-08',
    phone: '0600000214',
    commune: 'Bretoncelles',
    at: 'Mairie de Bretoncelles',
  },
  morin: {
    firstName: 'Céline',
    lastName: 'Morin',
    birthDate: '1984-06-02',
    phone: '0600000215',
    commune: 'Rémalard en Perche',
    at: 'Mairie de Rémalard-en-Perche',
  },
  pottier: {
    firstName: 'Josiane',
    lastName: 'Pottier',
    birthDate: '1952-04-21',
    phone: '0600000216',
    commune: 'Longny les Villages',
    at: 'Bus numérique 61',
  },
  landais: {
    firstName: 'Roger',
    lastName: 'Landais',
    birthDate: '1958-12-14',
    phone: '0600000217',
    commune: 'Mortagne-au-Perche',
    at: 'France Services de Mortagne-au-Perche',
  },
  brunet: {
    firstName: 'Anthony',
    lastName: 'Brunet',
    birthDate: '2001-01-16',
    phone: '0600000218',
    commune: 'Berd’huis',
    at: 'Mairie de Berd’huis',
  },
};

/** Working days before the seed date and local time ("HH:MM"); `fraction` places a creation so the clock has run that share of its allowance. */
export type When = [number, string] | { fraction: number };

export type Step =
  | { at: When; by: string; take: true }
  | { at: When; by: string; message: PostMessageBody['kind']; body: string; pdf?: { name: string; lines: string[] } }
  | { at: When; by: string; reroute: string; reason: string }
  | { at: When; by: string; close: string | null }
  | { at: When; by: string; rate: UsefulnessRating };

export interface DemoRequest {
  key: string;
  from: string;
  to: string;
  /** A person of REQUEST_PEOPLE, or of the mandates seed by last name (their mandate is then cited). */
  person: string;
  mandate?: true;
  themeCode?: string;
  procedure?: string;
  subject: string;
  description: string;
  identifiers?: Record<string, string>;
  at: When;
  steps: Step[];
}

/** A NIR with its key (97 − n mod 97): fictitious, but valid for the checks. */
const nir = (thirteen: string) => `${thirteen}${String(97 - Number(BigInt(thirteen) % 97n)).padStart(2, '0')}`;

const A = {
  bretoncelles: 'agent.bretoncelles@relais.demo',
  berdhuis: 'agent.berdhuis@relais.demo',
  noce: 'agent.percheennoce@relais.demo',
  remalard: 'agent.remalard@relais.demo',
  poste: 'agent.remalard-poste@relais.demo',
  mortagne: 'agent.mortagne@relais.demo',
  valauperche: 'agent.valauperche@relais.demo',
  msa: 'agent.msa-mortagne@relais.demo',
  bus: 'agent.bus61@relais.demo',
};

export const DEMO_REQUESTS: DemoRequest[] = [
  {
    key: 'r01',
    from: A.bretoncelles,
    to: 'CAF',
    person: 'hubert',
    themeCode: 'famille',
    procedure: 'Prime d’activité',
    subject: 'Prime d’activité suspendue depuis deux mois',
    description:
      'Mme Hubert ne perçoit plus sa prime d’activité depuis septembre. Son espace en ligne indique « droits suspendus » sans motif. Elle a fait ses déclarations trimestrielles à temps et travaille toujours à mi-temps au supermarché de Rémalard. Pouvez-vous nous dire ce qui bloque ?',
    identifiers: { caf_number: '4417821' },
    at: [7, '09:40'],
    steps: [],
  },
  {
    key: 'r02',
    from: A.mortagne,
    to: 'CAF',
    person: 'roger',
    themeCode: 'logement',
    procedure: 'Aide personnalisée au logement',
    subject: 'APL non versée depuis le déménagement à Mortagne',
    description:
      'M. Roger a déménagé le 1er du mois dernier d’Alençon à Mortagne et a déclaré son changement d’adresse en ligne avec le nouveau bail. Depuis, plus aucun versement d’APL. Le bailleur lui réclame la part du loyer manquante. Le dossier attend-il une pièce ?',
    identifiers: { caf_number: '5120934' },
    at: { fraction: 0.8 },
    steps: [],
  },
  {
    key: 'r03',
    from: A.poste,
    to: 'CAF',
    person: 'fouquet',
    themeCode: 'famille',
    subject: 'Séparation non prise en compte dans le calcul des allocations',
    description:
      'Mme Fouquet s’est séparée de son conjoint en août et vit seule avec ses deux enfants. Elle a déclaré le changement de situation mais les allocations sont toujours calculées sur les revenus du couple. Nous joignons l’attestation sur l’honneur qu’elle a signée au guichet.',
    identifiers: { caf_number: '3308127' },
    at: [0, '09:15'],
    steps: [
      {
        at: [0, '09:20'],
        by: A.poste,
        message: 'message',
        body: 'Voici l’attestation de séparation signée par Mme Fouquet ce matin.',
        pdf: {
          name: 'attestation-separation-fouquet.pdf',
          lines: [
            'Attestation sur l honneur - DEMONSTRATION',
            'Je soussignee Sabrina Fouquet atteste vivre seule',
            'avec mes deux enfants depuis le 14 aout.',
            'Fait a Remalard en Perche.',
          ],
        },
      },
    ],
  },
  {
    key: 'r04',
    from: A.valauperche,
    to: 'CAF',
    person: 'perrot',
    themeCode: 'argent-impots',
    procedure: 'RSA',
    subject: 'Trop-perçu de RSA : demande d’échéancier',
    description:
      'M. Perrot a reçu une notification de trop-perçu de RSA de 1 240 € et une retenue de la totalité de sa prestation ce mois-ci. Il ne conteste pas la dette mais demande un échéancier de remboursement compatible avec ses ressources (il est seul, sans autre revenu).',
    identifiers: { caf_number: '2290475' },
    at: [5, '10:20'],
    steps: [
      { at: [4, '09:05'], by: CAF, take: true },
      {
        at: [4, '09:20'],
        by: CAF,
        message: 'note_interne',
        body: 'Dossier déjà signalé par le service recouvrement en juin : voir avec Nathalie avant de proposer un montant.',
      },
      {
        at: [1, '14:30'],
        by: CAF,
        message: 'message',
        body: 'J’ai transmis la demande au service recouvrement avec un avis favorable pour un échéancier de 12 mois. La retenue du mois prochain sera suspendue en attendant leur décision.',
      },
    ],
  },
  {
    key: 'r05',
    from: A.berdhuis,
    to: 'CAF',
    person: 'leclerc',
    themeCode: 'famille',
    procedure: 'Allocation de soutien familial',
    subject: 'Allocation de soutien familial : dossier incomplet ?',
    description:
      'Mme Leclerc élève seule sa fille et le père ne verse pas la pension fixée par le juge. Elle a demandé l’allocation de soutien familial il y a un mois et n’a aucune nouvelle. Pouvez-vous vérifier l’état de la demande ?',
    identifiers: { caf_number: '6071352' },
    at: [4, '11:00'],
    steps: [
      { at: [3, '09:30'], by: CAF, take: true },
      {
        at: [3, '09:45'],
        by: CAF,
        message: 'demande_infos',
        body: 'Il nous manque la copie du jugement fixant la pension alimentaire et une attestation de non-paiement. Pouvez-vous les recueillir auprès de Mme Leclerc et nous les transmettre ici ?',
      },
    ],
  },
  {
    key: 'r06',
    from: A.noce,
    to: 'CAF',
    person: 'benhamou',
    themeCode: 'famille',
    procedure: 'Prime à la naissance',
    subject: 'Prime à la naissance non reçue',
    description:
      'Mme Benhamou a accouché il y a six semaines et n’a pas reçu la prime à la naissance. La déclaration de grossesse avait bien été faite par le médecin au 3e mois.',
    identifiers: { caf_number: '7715208' },
    at: [9, '14:10'],
    steps: [
      { at: [8, '09:00'], by: CAF, take: true },
      {
        at: [7, '16:20'],
        by: CAF,
        message: 'reponse',
        body: 'La prime était bloquée faute d’acte de naissance. Je l’ai récupéré auprès de la mairie : le versement de 1 066 € part cette semaine, Mme Benhamou le verra sur son compte sous trois jours.',
      },
      { at: [6, '10:00'], by: A.noce, rate: 'utile' },
    ],
  },
  {
    key: 'r07',
    from: A.bretoncelles,
    to: 'CAF',
    person: 'Lhermitte',
    mandate: true,
    themeCode: 'logement',
    procedure: 'Allocation de logement sociale',
    subject: 'Allocation logement : attestation de loyer refusée',
    description:
      'Sous mandat de M. Lhermitte : son attestation de loyer a été refusée en ligne (« document illisible ») alors que le propriétaire l’a remplie et signée. Nous l’avons numérisée à nouveau. Comment la faire prendre en compte ?',
    at: [7, '10:30'],
    steps: [
      { at: [6, '09:10'], by: CAF, take: true },
      {
        at: [5, '11:45'],
        by: CAF,
        message: 'reponse',
        body: 'L’attestation est bien enregistrée à présent ; le droit est ouvert depuis le mois de la demande et le rappel sera versé le 5.',
      },
      { at: [4, '09:30'], by: A.bretoncelles, close: 'Réponse transmise à M. Lhermitte par téléphone.' },
      { at: [4, '09:31'], by: A.bretoncelles, rate: 'utile' },
    ],
  },
  {
    key: 'r08',
    from: A.remalard,
    to: 'CAF',
    person: 'marin',
    themeCode: 'social-sante',
    procedure: 'Complémentaire santé solidaire',
    subject: 'Attestation de droits à la complémentaire santé solidaire',
    description:
      'M. Marin a besoin d’une attestation de droits à la complémentaire santé solidaire pour sa mutuelle et pour l’opticien. Il pensait que c’était la CAF qui la délivrait, avec sa prime d’activité.',
    at: [6, '15:00'],
    steps: [
      {
        at: [5, '10:00'],
        by: CAF,
        reroute: 'CPAM',
        reason: 'La complémentaire santé solidaire relève de l’Assurance maladie : je transmets à la CPAM.',
      },
      { at: [4, '14:00'], by: CPAM, take: true },
      {
        at: [2, '11:00'],
        by: CPAM,
        message: 'message',
        body: 'Les droits de M. Marin courent jusqu’au 31 mars. L’attestation est en cours d’édition, je la dépose ici dès qu’elle est prête.',
      },
    ],
  },
  {
    key: 'r09',
    from: A.bretoncelles,
    to: 'CPAM',
    person: 'Lhermitte',
    mandate: true,
    themeCode: 'social-sante',
    subject: 'Remboursements bloqués depuis le passage à la retraite',
    description:
      'Sous mandat de M. Lhermitte : depuis sa retraite, ses feuilles de soins ne sont plus remboursées. Sa carte Vitale n’a pas été mise à jour en pharmacie. Il dépend toujours de la CPAM de l’Orne.',
    identifiers: { nir: nir('1501161093004') },
    at: [3, '10:00'],
    steps: [{ at: [2, '09:30'], by: CPAM, take: true }],
  },
  {
    key: 'r10',
    from: A.mortagne,
    to: 'CPAM',
    person: 'lamy',
    themeCode: 'social-sante',
    subject: 'Carte Vitale perdue : commande sans suite',
    description:
      'M. Lamy a perdu sa carte Vitale et l’a commandée en ligne il y a cinq semaines. Il n’a rien reçu et son compte ameli indique toujours « demande en cours ».',
    identifiers: { nir: nir('1700561293021') },
    at: [6, '09:20'],
    steps: [
      { at: [5, '10:00'], by: CPAM, take: true },
      {
        at: [5, '10:30'],
        by: CPAM,
        message: 'reponse',
        body: 'La photo fournie avait été refusée. J’ai relancé la fabrication avec la photo d’identité déposée au guichet : la carte arrivera sous dix jours. En attendant, une attestation de droits est téléchargeable sur ameli.',
      },
    ],
  },
  {
    key: 'r11',
    from: A.valauperche,
    to: 'CPAM',
    person: 'julien',
    themeCode: 'social-sante',
    procedure: 'Indemnités journalières',
    subject: 'Indemnités journalières non versées depuis six semaines',
    description:
      'Mme Julien est en arrêt maladie depuis le 2 du mois dernier. Aucune indemnité journalière versée. Son employeur dit avoir transmis l’attestation de salaire.',
    identifiers: { nir: nir('2821161484007') },
    at: [5, '16:00'],
    steps: [
      { at: [3, '09:00'], by: CPAM, take: true },
      {
        at: [3, '09:10'],
        by: CPAM,
        message: 'demande_infos',
        body: 'Nous n’avons reçu que le premier volet de l’arrêt de travail. Mme Julien peut-elle vous apporter le volet 3 et le nom du service paie de son employeur ?',
      },
    ],
  },
  {
    key: 'r12',
    from: A.bretoncelles,
    to: 'CNAV',
    person: 'Guérin',
    mandate: true,
    themeCode: 'retraite',
    procedure: 'Pension de réversion',
    subject: 'Pension de réversion : dossier sans nouvelles',
    description:
      'Sous mandat de Mme Guérin : veuve depuis le printemps, elle a déposé sa demande de pension de réversion en ligne avec notre aide. Aucun accusé de réception ni courrier depuis trois mois.',
    at: [8, '10:00'],
    steps: [
      { at: [7, '11:00'], by: CNAV, take: true },
      {
        at: [2, '15:00'],
        by: CNAV,
        message: 'message',
        body: 'Le dossier est complet et en cours de calcul ; nous attendons le retour de la caisse complémentaire. Je vous écris dès que la notification part.',
      },
    ],
  },
  {
    key: 'r13',
    from: A.poste,
    to: 'CNAV',
    person: 'vallee',
    themeCode: 'retraite',
    procedure: 'Relevé de carrière',
    subject: 'Relevé de carrière incomplet : années d’apprentissage manquantes',
    description:
      'M. Vallée prépare son départ à la retraite. Son relevé de carrière ne mentionne pas ses deux années d’apprentissage de 1978 à 1980 chez un boulanger de Bellême. Comment les faire reporter ?',
    identifiers: { nir: nir('1620361038012') },
    at: [9, '09:30'],
    steps: [
      { at: [8, '10:00'], by: CNAV, take: true },
      {
        at: [8, '10:15'],
        by: CNAV,
        message: 'demande_infos',
        body: 'Il faut un justificatif de la période : contrat d’apprentissage, bulletins de salaire ou certificat de l’employeur. Merci de nous en transmettre une copie.',
      },
      {
        at: [2, '11:20'],
        by: A.poste,
        message: 'message',
        body: 'M. Vallée a retrouvé son contrat d’apprentissage : le voici.',
        pdf: {
          name: 'contrat-apprentissage-vallee.pdf',
          lines: [
            'Contrat d apprentissage - DEMONSTRATION',
            'Apprenti : Jean-Pierre Vallee',
            'Du 1er septembre 1978 au 30 juin 1980',
            'Boulangerie, Belleme (Orne)',
          ],
        },
      },
    ],
  },
  {
    key: 'r14',
    from: A.msa,
    to: 'CNAV',
    person: 'huet',
    themeCode: 'retraite',
    subject: 'Départ anticipé pour carrière longue : estimation',
    description:
      'M. Huet a commencé à travailler à 17 ans. Il souhaite savoir s’il peut partir au titre de la carrière longue et à quelle date, l’estimation en ligne donnant deux dates différentes.',
    identifiers: { nir: nir('1630961293045') },
    at: [12, '14:00'],
    steps: [
      { at: [11, '09:00'], by: CNAV, take: true },
      {
        at: [9, '16:00'],
        by: CNAV,
        message: 'reponse',
        body: 'D’après sa carrière, M. Huet remplit la condition de début d’activité ; il lui manque deux trimestres pour la durée requise. Il doit prendre rendez-vous pour un entretien information retraite.',
      },
      { at: [8, '10:00'], by: A.msa, close: 'Rendez-vous pris pour M. Huet.' },
      { at: [8, '10:01'], by: A.msa, rate: 'partiellement_utile' },
    ],
  },
  {
    key: 'r15',
    from: A.msa,
    to: 'MSA',
    person: 'gasnier',
    themeCode: 'argent-impots',
    subject: 'Cotisations d’exploitant : demande de délai',
    description:
      'M. Gasnier, éleveur laitier à Tourouvre, ne peut pas payer l’appel de cotisations du mois après la perte d’une partie de son troupeau. Il demande un délai de paiement.',
    identifiers: { msa_number: 'MSA-61-0042817' },
    at: [1, '10:45'],
    steps: [],
  },
  {
    key: 'r16',
    from: A.noce,
    to: 'MSA',
    person: 'chevallier',
    themeCode: 'famille',
    procedure: 'Prime d’activité',
    subject: 'Déclaration trimestrielle de prime d’activité impossible',
    description:
      'Mme Chevallier, salariée agricole, ne peut pas valider sa déclaration trimestrielle de prime d’activité sur le site de la MSA : message d’erreur à la dernière étape.',
    identifiers: { msa_number: 'MSA-61-0093551' },
    at: [6, '11:15'],
    steps: [
      { at: [5, '09:00'], by: MSA, take: true },
      {
        at: [4, '15:30'],
        by: MSA,
        message: 'reponse',
        body: 'J’ai enregistré la déclaration à partir des montants que vous nous avez communiqués ; le blocage venait d’un ancien employeur resté actif dans son dossier. C’est corrigé.',
      },
      { at: [3, '10:00'], by: A.noce, rate: 'utile' },
    ],
  },
  {
    key: 'r17',
    from: A.bretoncelles,
    to: 'FRANCE_TRAVAIL',
    person: 'renard',
    themeCode: 'emploi-formation',
    procedure: 'Actualisation mensuelle',
    subject: 'Actualisation France Travail non enregistrée, radiation annoncée',
    description:
      'M. Renard s’est actualisé le 28 mais a reçu un courrier de radiation pour défaut d’actualisation. Il a une capture d’écran de la confirmation. Son allocation est suspendue.',
    identifiers: { france_travail_id: '4821573X' },
    at: [2, '09:50'],
    steps: [
      { at: [1, '10:00'], by: FT, take: true },
      {
        at: [1, '10:20'],
        by: FT,
        message: 'message',
        body: 'Je vois une actualisation commencée mais non validée. Je demande l’annulation de la radiation à mon responsable d’équipe ; réponse d’ici deux jours.',
      },
    ],
  },
  {
    key: 'r18',
    from: A.remalard,
    to: 'FRANCE_TRAVAIL',
    person: 'morin',
    themeCode: 'emploi-formation',
    subject: 'Allocation chômage non calculée : attestation employeur manquante',
    description:
      'Mme Morin a perdu son emploi fin août. Son ancien employeur, une petite entreprise de Rémalard, dit avoir envoyé l’attestation employeur mais son dossier reste en attente.',
    identifiers: { france_travail_id: '5530918K' },
    at: [11, '10:00'],
    steps: [
      { at: [10, '09:00'], by: FT, take: true },
      {
        at: [9, '14:00'],
        by: FT,
        message: 'reponse',
        body: 'L’attestation avait été envoyée sous un ancien numéro d’établissement. Nous l’avons rapprochée du dossier : les droits sont ouverts et le premier paiement suit.',
      },
      { at: [6, '09:00'], by: FT, close: 'Droits calculés, premier paiement effectué.' },
    ],
  },
  {
    key: 'r19',
    from: A.bus,
    to: 'DGFIP',
    person: 'pottier',
    themeCode: 'argent-impots',
    subject: 'Avis d’impôt non reçu, demandé pour un dossier de logement social',
    description:
      'Mme Pottier n’a pas d’espace en ligne et n’a pas reçu son avis d’impôt sur les revenus de l’an dernier. Le bailleur social le lui demande pour sa demande de logement.',
    identifiers: { tax_number: '3012458796120' },
    at: [4, '14:30'],
    steps: [
      {
        at: [3, '10:00'],
        by: DGFIP,
        message: 'reponse',
        body: 'L’avis a été renvoyé par courrier à son adresse actuelle (l’ancienne figurait encore au dossier). Un duplicata peut aussi être remis au service des impôts de Mortagne sur présentation d’une pièce d’identité.',
      },
    ],
  },
  {
    key: 'r20',
    from: A.mortagne,
    to: 'DGFIP',
    person: 'landais',
    themeCode: 'argent-impots',
    subject: 'Taux de prélèvement à la source trop élevé après le départ en retraite',
    description:
      'M. Landais est retraité depuis juillet ; sa pension est prélevée au taux calculé sur son ancien salaire. Il souhaite faire moduler son taux mais la démarche en ligne lui est refusée.',
    identifiers: { tax_number: '3027741186452' },
    at: [0, '08:50'],
    steps: [],
  },
  {
    key: 'r21',
    from: A.berdhuis,
    to: 'ANTS',
    person: 'brunet',
    themeCode: 'papiers-citoyennete',
    procedure: 'Permis de conduire',
    subject: 'Permis de conduire : demande « en cours d’instruction » depuis trois mois',
    description:
      'M. Brunet a réussi son examen du permis B il y a trois mois. Sa demande de fabrication reste « en cours d’instruction ». Il a trouvé un emploi à Nogent-le-Rotrou qui exige le permis.',
    at: [8, '11:30'],
    steps: [
      { at: [7, '10:00'], by: ANTS, take: true },
      {
        at: [3, '16:00'],
        by: ANTS,
        message: 'message',
        body: 'La demande attendait la validation de l’auto-école. Je l’ai relancée ; la fabrication devrait être lancée cette semaine.',
      },
    ],
  },
];
