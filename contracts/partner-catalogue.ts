import { z } from 'zod';
import type { ThemeCode } from './themes.ts';

/**
 * National catalogue of partners: the nine operators every France Services must cover (charte nationale),
 * then common local partners. A coordinator adds a partner to the territory from this catalogue: name, acronym,
 * themes, procedures and online services are prefilled, then completed locally (phone, referents...).
 */
export interface CatalogueLink {
  label: string;
  url: string;
}
export interface CatalogueEntry {
  code: string;
  name: string;
  acronym: string;
  /** One of the nine national operators a France Services must cover. */
  required: boolean;
  description: string;
  themes: ThemeCode[];
  /** Procedures (démarches) as agents name them. */
  procedures: string[];
  links: CatalogueLink[];
}

export const REQUIRED_OPERATOR_CODES = ['CAF', 'CPAM', 'CNAV', 'MSA', 'FRANCE_TRAVAIL', 'LA_POSTE', 'DGFIP', 'JUSTICE', 'ANTS'] as const;
export type RequiredOperatorCode = (typeof REQUIRED_OPERATOR_CODES)[number];

export const PARTNER_CATALOGUE: readonly CatalogueEntry[] = [
  {
    code: 'CAF',
    name: 'Caisse d’allocations familiales',
    acronym: 'CAF',
    required: true,
    description: 'Prestations familiales et sociales : allocations familiales, aides au logement, prime d’activité, RSA.',
    themes: ['famille', 'logement', 'social-sante', 'argent-impots'],
    procedures: [
      'prime d’activité',
      'revenu de solidarité active (RSA)',
      'aide personnalisée au logement (APL)',
      'allocations familiales',
      'allocation de rentrée scolaire',
      'déclaration de ressources trimestrielle',
      'changement de situation',
      'allocation aux adultes handicapés (AAH)',
      'pension alimentaire (intermédiation financière)',
    ],
    links: [
      { label: 'caf.fr : espace allocataire', url: 'https://www.caf.fr' },
      { label: 'Simulateur des aides sociales (mes droits sociaux)', url: 'https://www.mesdroitssociaux.gouv.fr' },
    ],
  },
  {
    code: 'CPAM',
    name: 'Caisse primaire d’assurance maladie',
    acronym: 'CPAM',
    required: true,
    description: 'Assurance maladie du régime général : remboursements, carte Vitale, complémentaire santé solidaire.',
    themes: ['social-sante'],
    procedures: [
      'carte Vitale',
      'ouverture de droits à l’assurance maladie',
      'complémentaire santé solidaire (C2S)',
      'indemnités journalières',
      'attestation de droits',
      'déclaration de médecin traitant',
      'remboursement de soins',
      'carte européenne d’assurance maladie',
      'invalidité',
    ],
    links: [
      { label: 'ameli.fr', url: 'https://www.ameli.fr' },
      { label: 'Compte ameli', url: 'https://assure.ameli.fr' },
    ],
  },
  {
    code: 'CNAV',
    name: 'Assurance retraite (CNAV / CARSAT)',
    acronym: 'CNAV',
    required: true,
    description: 'Retraite du régime général : relevé de carrière, demande de retraite, pension de réversion, ASPA.',
    themes: ['retraite', 'argent-impots'],
    procedures: [
      'demande de retraite',
      'relevé de carrière',
      'régularisation de carrière',
      'pension de réversion',
      'allocation de solidarité aux personnes âgées (ASPA)',
      'attestation de paiement',
      'retraite progressive',
    ],
    links: [
      { label: 'L’Assurance retraite', url: 'https://www.lassuranceretraite.fr' },
      { label: 'Info Retraite : demande de retraite en ligne tous régimes', url: 'https://www.info-retraite.fr' },
    ],
  },
  {
    code: 'MSA',
    name: 'Mutualité sociale agricole',
    acronym: 'MSA',
    required: true,
    description: 'Protection sociale du monde agricole : santé, famille, retraite des exploitants et salariés agricoles.',
    themes: ['social-sante', 'famille', 'retraite'],
    procedures: [
      'prestations familiales agricoles',
      'prime d’activité (régime agricole)',
      'remboursement de soins (régime agricole)',
      'retraite des exploitants et salariés agricoles',
      'cotisations des exploitants',
      'carte Vitale (régime agricole)',
    ],
    links: [{ label: 'msa.fr', url: 'https://www.msa.fr' }],
  },
  {
    code: 'FRANCE_TRAVAIL',
    name: 'France Travail',
    acronym: 'France Travail',
    required: true,
    description: 'Service public de l’emploi : inscription, indemnisation du chômage, accompagnement vers l’emploi.',
    themes: ['emploi-formation'],
    procedures: [
      'inscription comme demandeur d’emploi',
      'actualisation mensuelle',
      'allocation chômage (ARE)',
      'attestation employeur',
      'recherche d’offres d’emploi',
      'formation professionnelle',
      'compte personnel de formation (CPF)',
    ],
    links: [
      { label: 'francetravail.fr', url: 'https://www.francetravail.fr' },
      { label: 'Mon compte formation', url: 'https://www.moncompteformation.gouv.fr' },
    ],
  },
  {
    code: 'LA_POSTE',
    name: 'La Poste',
    acronym: 'La Poste',
    required: true,
    description: 'Services postaux et bancaires de proximité, identité numérique La Poste.',
    themes: ['numerique', 'argent-impots'],
    procedures: [
      'envoi de lettres et colis',
      'lettre recommandée',
      'procuration postale',
      'identité numérique La Poste',
      'compte bancaire (La Banque Postale)',
      'réexpédition du courrier',
    ],
    links: [
      { label: 'laposte.fr', url: 'https://www.laposte.fr' },
      { label: 'La Banque Postale', url: 'https://www.labanquepostale.fr' },
    ],
  },
  {
    code: 'DGFIP',
    name: 'Direction générale des finances publiques',
    acronym: 'DGFIP',
    required: true,
    description: 'Impôts et finances publiques : déclaration de revenus, prélèvement à la source, impôts locaux.',
    themes: ['argent-impots'],
    procedures: [
      'déclaration de revenus',
      'prélèvement à la source',
      'création de l’espace particulier',
      'avis d’imposition',
      'taxe foncière',
      'paiement d’une amende ou d’une facture publique',
      'réclamation fiscale',
    ],
    links: [{ label: 'impots.gouv.fr', url: 'https://www.impots.gouv.fr' }],
  },
  {
    code: 'JUSTICE',
    name: 'Ministère de la Justice',
    acronym: 'Justice',
    required: true,
    description: 'Accès au droit et à la justice : démarches judiciaires, aide juridictionnelle, casier judiciaire.',
    themes: ['justice'],
    procedures: [
      'aide juridictionnelle',
      'extrait de casier judiciaire',
      'saisine du juge aux affaires familiales',
      'suivi d’une procédure judiciaire',
      'conciliation de justice',
      'point-justice',
    ],
    links: [
      { label: 'justice.fr : portail du justiciable', url: 'https://www.justice.fr' },
      { label: 'Casier judiciaire national', url: 'https://casier-judiciaire.justice.gouv.fr' },
    ],
  },
  {
    code: 'ANTS',
    name: 'France Titres (ANTS)',
    acronym: 'ANTS',
    required: true,
    description: 'Titres sécurisés : carte d’identité, passeport, permis de conduire, certificat d’immatriculation.',
    themes: ['papiers-citoyennete', 'mobilite'],
    procedures: [
      'pré-demande de carte d’identité',
      'pré-demande de passeport',
      'permis de conduire',
      'certificat d’immatriculation (carte grise)',
      'changement d’adresse sur la carte grise',
      'déclaration de perte ou de vol',
    ],
    links: [{ label: 'ants.gouv.fr', url: 'https://ants.gouv.fr' }],
  },
  {
    code: 'DEPARTEMENT',
    name: 'Conseil départemental',
    acronym: 'Département',
    required: false,
    description: 'Action sociale départementale : RSA (accompagnement), APA, PCH, protection de l’enfance, PMI.',
    themes: ['social-sante', 'famille', 'retraite'],
    procedures: [
      'allocation personnalisée d’autonomie (APA)',
      'accompagnement des bénéficiaires du RSA',
      'protection maternelle et infantile (PMI)',
      'aide sociale à l’hébergement',
      'fonds de solidarité logement (FSL)',
      'transport scolaire',
    ],
    links: [],
  },
  {
    code: 'MISSION_LOCALE',
    name: 'Mission locale',
    acronym: 'Mission locale',
    required: false,
    description: 'Accompagnement des jeunes de 16 à 25 ans : emploi, formation, logement, santé, mobilité.',
    themes: ['emploi-formation', 'logement', 'mobilite'],
    procedures: ['contrat d’engagement jeune (CEJ)', 'recherche d’apprentissage', 'aide au permis de conduire', 'orientation et formation'],
    links: [
      { label: '1jeune1solution', url: 'https://www.1jeune1solution.gouv.fr' },
      { label: 'Union nationale des missions locales', url: 'https://www.unml.info' },
    ],
  },
  {
    code: 'CCAS',
    name: 'Centre communal d’action sociale',
    acronym: 'CCAS',
    required: false,
    description: 'Aide sociale de la commune : aides facultatives, domiciliation, instruction de dossiers d’aide sociale.',
    themes: ['social-sante', 'logement'],
    procedures: ['domiciliation', 'aide alimentaire', 'aide financière ponctuelle', 'dossier d’aide sociale légale', 'téléassistance'],
    links: [{ label: 'Union nationale des CCAS', url: 'https://www.unccas.org' }],
  },
  {
    code: 'MDPH',
    name: 'Maison départementale des personnes handicapées',
    acronym: 'MDPH',
    required: false,
    description: 'Droits des personnes handicapées : reconnaissance du handicap, AAH, PCH, carte mobilité inclusion.',
    themes: ['social-sante', 'emploi-formation', 'mobilite'],
    procedures: [
      'dossier MDPH',
      'reconnaissance de la qualité de travailleur handicapé (RQTH)',
      'carte mobilité inclusion (CMI)',
      'prestation de compensation du handicap (PCH)',
      'allocation aux adultes handicapés (AAH)',
    ],
    links: [
      { label: 'MDPH en ligne', url: 'https://mdphenligne.cnsa.fr' },
      { label: 'Mon parcours handicap', url: 'https://www.monparcourshandicap.gouv.fr' },
    ],
  },
  {
    code: 'UDAF',
    name: 'Union départementale des associations familiales',
    acronym: 'UDAF',
    required: false,
    description: 'Soutien aux familles : protection juridique des majeurs, point conseil budget, médiation familiale.',
    themes: ['famille', 'argent-impots', 'justice'],
    procedures: [
      'point conseil budget',
      'surendettement',
      'mesure de protection (tutelle, curatelle)',
      'information des tuteurs familiaux',
    ],
    links: [{ label: 'UNAF', url: 'https://www.unaf.fr' }],
  },
  {
    code: 'CIDFF',
    name: 'Centre d’information sur les droits des femmes et des familles',
    acronym: 'CIDFF',
    required: false,
    description: 'Information juridique gratuite, accompagnement des victimes de violences, insertion professionnelle.',
    themes: ['justice', 'famille', 'emploi-formation'],
    procedures: ['information juridique (droit de la famille)', 'accompagnement des victimes de violences', 'séparation et divorce'],
    links: [{ label: 'Réseau national des CIDFF', url: 'https://www.infofemmes.com' }],
  },
  {
    code: 'ADIL',
    name: 'Agence départementale d’information sur le logement',
    acronym: 'ADIL',
    required: false,
    description: 'Conseil juridique, financier et fiscal sur le logement : location, achat, travaux, impayés.',
    themes: ['logement', 'justice'],
    procedures: ['bail et litige locatif', 'prévention des expulsions', 'accession à la propriété', 'aides à la rénovation'],
    links: [
      { label: 'ANIL', url: 'https://www.anil.org' },
      { label: 'France Rénov’', url: 'https://france-renov.gouv.fr' },
    ],
  },
  {
    code: 'CAP_EMPLOI',
    name: 'Cap emploi',
    acronym: 'Cap emploi',
    required: false,
    description: 'Accompagnement vers l’emploi et maintien dans l’emploi des personnes en situation de handicap.',
    themes: ['emploi-formation', 'social-sante'],
    procedures: ['accompagnement vers l’emploi (travailleur handicapé)', 'maintien dans l’emploi', 'aménagement de poste'],
    links: [{ label: 'Agefiph', url: 'https://www.agefiph.fr' }],
  },
  {
    code: 'CHAMBRE_AGRICULTURE',
    name: 'Chambre d’agriculture',
    acronym: 'Chambre d’agriculture',
    required: false,
    description: 'Conseil aux exploitants agricoles : installation, aides de la PAC, démarches administratives.',
    themes: ['emploi-formation', 'argent-impots'],
    procedures: ['déclaration PAC', 'installation en agriculture', 'formalités d’entreprise agricole'],
    links: [{ label: 'Chambres d’agriculture', url: 'https://chambres-agriculture.fr' }],
  },
  {
    code: 'PREFECTURE',
    name: 'Préfecture',
    acronym: 'Préfecture',
    required: false,
    description: 'Titres de séjour et démarches des étrangers, naturalisation.',
    themes: ['etrangers', 'papiers-citoyennete'],
    procedures: ['titre de séjour', 'renouvellement de titre de séjour', 'naturalisation', 'document de circulation pour étranger mineur'],
    links: [
      {
        label: 'Administration numérique pour les étrangers en France',
        url: 'https://administration-etrangers-en-france.interieur.gouv.fr',
      },
    ],
  },
];

export const CatalogueCodes = PARTNER_CATALOGUE.map((e) => e.code) as [string, ...string[]];
export const CatalogueCode = z.enum(CatalogueCodes, { message: 'partenaire inconnu du catalogue national' });

export function catalogueEntry(code: string): CatalogueEntry | undefined {
  return PARTNER_CATALOGUE.find((e) => e.code === code);
}

/** The nine national operators with their names, for the label check. */
export const REQUIRED_OPERATORS: readonly { code: RequiredOperatorCode; name: string }[] = REQUIRED_OPERATOR_CODES.map((code) => {
  const entry = catalogueEntry(code);
  if (!entry) throw new Error(`catalogue: opérateur ${code} manquant`);
  return { code, name: entry.name };
});
