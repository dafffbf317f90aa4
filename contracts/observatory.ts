import { z } from 'zod';
import { Uuid } from './common.ts';

/**
 * Observatory (issue 7, ADR 15): the network's figures, for each role within its scope.
 * - coordinator: the whole territory, any contact point or partner as a filter;
 * - agent: the contact points they work at;
 * - partner referent or manager: the visits that named their organisation and the requests sent to it.
 * Periods are whole months in the territory's time zone (the aggregates are monthly).
 */

export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'mois attendu au format AAAA-MM' });
export const Comparisons = ['annee_precedente', 'periode_precedente', 'aucune'] as const;
export type Comparison = (typeof Comparisons)[number];
export const ComparisonLabels: Record<Comparison, string> = {
  annee_precedente: 'Même période un an plus tôt',
  periode_precedente: 'Période précédente de même durée',
  aucune: 'Sans comparaison',
};

/** Filters of every dashboard, kept in the page's URL. `from`/`to` default to the last 12 months. */
export const ObservatoryQuery = z.strictObject({
  from: Month.optional(),
  to: Month.optional(),
  contactPointId: Uuid.optional(),
  organisationId: Uuid.optional(),
  compare: z.enum(Comparisons, { message: 'comparaison inconnue' }).default('annee_precedente'),
});
export type ObservatoryQuery = z.input<typeof ObservatoryQuery>;

export const ScopeKinds = ['territoire', 'lieux', 'partenaire'] as const;
export const ObservatoryScope = z.object({
  kind: z.enum(ScopeKinds),
  /** « Territoire du Perche », « Mairie de Bretoncelles », « CAF de l’Orne » … */
  label: z.string(),
  /** The contact points and partners the caller may choose as filters. */
  contactPoints: z.array(z.object({ id: Uuid, name: z.string() })),
  organisations: z.array(z.object({ id: Uuid, name: z.string(), nationalCode: z.string().nullable() })),
});
export type ObservatoryScope = z.infer<typeof ObservatoryScope>;

export const Period = z.object({
  from: Month,
  to: Month,
  months: z.number().int(),
  /** The comparison period, null without comparison. */
  previousFrom: Month.nullable(),
  previousTo: Month.nullable(),
});
export type Period = z.infer<typeof Period>;

/** A count in the period and in the comparison period, and its share of the period's total (0–1). */
export const Breakdown = z.object({
  code: z.string(),
  label: z.string(),
  count: z.number().int(),
  previous: z.number().int().nullable(),
  share: z.number().nullable(),
});
export type Breakdown = z.infer<typeof Breakdown>;

/**
 * National shares of France Services requests in 2023 (about 9 million, 80 % for five operators):
 * ANTS 19 %, CAF 16 %, CPAM 16 %, DGFiP 15 %, then the Assurance retraite (CNAV) with the remaining 14 %
 * of those 80 % (derived: 80 − 66).
 */
export const NATIONAL_SHARES: Record<string, number> = { ANTS: 0.19, CAF: 0.16, CPAM: 0.16, DGFIP: 0.15, CNAV: 0.14 };
export const NATIONAL_SHARES_SOURCE = 'France Services, bilan 2023 : environ 9 millions de demandes, 80 % pour cinq opérateurs.';

export const VisitsDashboard = z.object({
  scope: ObservatoryScope,
  period: Period,
  filters: z.object({ contactPointId: Uuid.nullable(), organisationId: Uuid.nullable() }),
  totals: z.object({
    visits: z.number().int(),
    previous: z.number().int().nullable(),
    /** (visits − previous) / previous; null when there is nothing to compare with. */
    growth: z.number().nullable(),
    /** Average duration of the visits whose duration was given, in minutes. */
    averageMinutes: z.number().nullable(),
    /** Share of the visits linked to a person file. */
    withPersonShare: z.number().nullable(),
  }),
  byMonth: z.array(z.object({ month: Month, count: z.number().int(), previous: z.number().int().nullable() })),
  byContactPoint: z.array(Breakdown),
  /** Partners named in the visits; `nationalShare` for the five operators of the national figures. */
  byPartner: z.array(Breakdown.extend({ nationalShare: z.number().nullable() })),
  /** Reporting groups (the territory's, or the default ones), counted in themes named (« motifs »): shares sum to 1. */
  byGroup: z.array(Breakdown),
  byTheme: z.array(Breakdown.extend({ groupCode: z.string().nullable() })),
  byChannel: z.array(Breakdown),
  byAction: z.array(Breakdown),
  byAutonomy: z.array(Breakdown),
});
export type VisitsDashboard = z.infer<typeof VisitsDashboard>;

export const RequestsDashboard = z.object({
  scope: ObservatoryScope,
  period: Period,
  filters: z.object({ contactPointId: Uuid.nullable(), organisationId: Uuid.nullable() }),
  totals: z.object({
    /** Requests sent in the period (by the month they were sent), and their fate as of now. */
    sent: z.number().int(),
    previous: z.number().int().nullable(),
    answered: z.number().int(),
    /** First answer within the deadline / answered; null when none answered. */
    inTimeShare: z.number().nullable(),
    /** Answered after the deadline, plus open ones whose deadline has passed. */
    breaches: z.number().int(),
    /** Median and 90th percentile of the time to first answer, in working days (one decimal). */
    medianDays: z.number().nullable(),
    p90Days: z.number().nullable(),
    closed: z.number().int(),
    /** The agents' ratings of the answers: useful / partly / not useful. */
    usefulShare: z.number().nullable(),
    rated: z.number().int(),
  }),
  /** Open now (whatever the period): the backlog, and how many are past their deadline. */
  backlog: z.object({ open: z.number().int(), overdue: z.number().int(), waitingForInformation: z.number().int() }),
  byMonth: z.array(
    z.object({
      month: Month,
      sent: z.number().int(),
      answered: z.number().int(),
      inTime: z.number().int(),
      medianDays: z.number().nullable(),
    }),
  ),
  byOrganisation: z.array(DeadlineRow()),
  byTheme: z.array(DeadlineRow()),
  byContactPoint: z.array(DeadlineRow()),
});
export type RequestsDashboard = z.infer<typeof RequestsDashboard>;

function DeadlineRow() {
  return z.object({
    code: z.string(),
    label: z.string(),
    sent: z.number().int(),
    answered: z.number().int(),
    inTimeShare: z.number().nullable(),
    medianDays: z.number().nullable(),
    p90Days: z.number().nullable(),
    breaches: z.number().int(),
    openNow: z.number().int(),
  });
}
export type DeadlineRow = z.infer<ReturnType<typeof DeadlineRow>>;

/** Public statistics: no personal data; a count below the threshold is shown as « moins de N ». */
export const PUBLIC_STATS_THRESHOLD = 10;
export const PublicStatsQuery = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100).optional() });
/** null = suppressed (below the threshold, or would let a suppressed one be worked out). */
const PublicCount = z.number().int().nullable();
export const PublicStats = z.object({
  territory: z.object({ name: z.string(), slug: z.string() }),
  year: z.number().int(),
  threshold: z.number().int(),
  /** Whole months included (the current year stops at the last complete month). */
  months: z.number().int(),
  visits: PublicCount,
  previousYearVisits: PublicCount,
  byMonth: z.array(z.object({ month: Month, count: PublicCount })),
  byGroup: z.array(z.object({ code: z.string(), label: z.string(), count: PublicCount, share: z.number().nullable() })),
  byPartner: z.array(z.object({ code: z.string(), label: z.string(), count: PublicCount, share: z.number().nullable() })),
  byChannel: z.array(z.object({ code: z.string(), label: z.string(), count: PublicCount, share: z.number().nullable() })),
  contactPoints: z.array(z.object({ name: z.string(), commune: z.string().nullable(), count: PublicCount })),
  requests: z.object({ sent: PublicCount, inTimeShare: z.number().nullable(), medianDays: z.number().nullable() }),
  satisfaction: z.object({ answers: PublicCount, satisfiedShare: z.number().nullable() }),
});
export type PublicStats = z.infer<typeof PublicStats>;

/** Yearly key figures of a territory (printable report), for its coordinators. */
export const KeyFiguresQuery = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100) });

/*
 * Satisfaction survey (anonymous). Four questions and an optional comment.
 */
export const SatisfactionLevels = [4, 3, 2, 1] as const;
export const SatisfactionLabels: Record<number, string> = {
  4: 'Très satisfait(e)',
  3: 'Plutôt satisfait(e)',
  2: 'Plutôt pas satisfait(e)',
  1: 'Pas du tout satisfait(e)',
};
export const ResolvedValues = ['oui', 'en_partie', 'non'] as const;
export const ResolvedLabels: Record<(typeof ResolvedValues)[number], string> = {
  oui: 'Oui',
  en_partie: 'En partie',
  non: 'Non',
};
export const SurveyContexts = ['accueil', 'saisine', 'arret_bus', 'lieu'] as const;
export type SurveyContext = (typeof SurveyContexts)[number];
export const SurveyContextLabels: Record<SurveyContext, string> = {
  accueil: 'Reçu d’accueil',
  saisine: 'Saisine clôturée',
  arret_bus: 'Arrêt du bus',
  lieu: 'Affiche au lieu d’accueil',
};
/** « % satisfaits »: answers « très » or « plutôt satisfait(e) » over all answers, stated with their count. */
export const SATISFACTION_DEFINITION =
  'Part des réponses « Très satisfait(e) » ou « Plutôt satisfait(e) » à la question « Êtes-vous satisfait(e) de l’accueil ? », sur toutes les réponses de la période.';

export const SurveyAnswerBody = z.strictObject({
  satisfaction: z.coerce.number().int().min(1, { message: 'réponse attendue de 1 à 4' }).max(4, { message: 'réponse attendue de 1 à 4' }),
  resolved: z.enum(ResolvedValues, { message: 'réponse inconnue' }).optional(),
  listened: z.coerce.number().int().min(1).max(4).optional(),
  recommend: z.boolean().optional(),
  comment: z.string().trim().max(500, { message: 'au plus 500 caractères' }).optional(),
});
export type SurveyAnswerBody = z.infer<typeof SurveyAnswerBody>;

export const SatisfactionDashboard = z.object({
  scope: ObservatoryScope,
  period: Period,
  definition: z.string(),
  answers: z.number().int(),
  satisfiedShare: z.number().nullable(),
  resolvedShare: z.number().nullable(),
  recommendShare: z.number().nullable(),
  bySatisfaction: z.array(Breakdown),
  byContactPoint: z.array(Breakdown.extend({ satisfiedShare: z.number().nullable() })),
  byChannel: z.array(Breakdown.extend({ satisfiedShare: z.number().nullable() })),
  byContext: z.array(Breakdown.extend({ satisfiedShare: z.number().nullable() })),
  byMonth: z.array(z.object({ month: Month, answers: z.number().int(), satisfiedShare: z.number().nullable() })),
  /** The latest free comments (coordinators and the contact point's agents only). */
  comments: z.array(z.object({ answeredOn: z.string(), contactPoint: z.string(), comment: z.string() })),
});
export type SatisfactionDashboard = z.infer<typeof SatisfactionDashboard>;

export const ExportFormats = ['csv', 'xlsx'] as const;
export const ExportQuery = z.strictObject({
  from: Month.optional(),
  to: Month.optional(),
  contactPointId: Uuid.optional(),
  organisationId: Uuid.optional(),
  format: z.enum(ExportFormats, { message: 'format attendu : csv ou xlsx' }).default('csv'),
});
export type ExportQuery = z.input<typeof ExportQuery>;

/*
 * Routes (all under /api/territories/:territoryId/observatory unless said):
 * - GET visits (ObservatoryQuery → VisitsDashboard)
 * - GET requests (ObservatoryQuery → RequestsDashboard)
 * - GET satisfaction (ObservatoryQuery → SatisfactionDashboard)
 * - GET key-figures (KeyFiguresQuery → KeyFigures: coordinators)
 * - GET exports/visits, exports/requests (ExportQuery → streamed text/csv or xlsx)
 * - POST survey-links (→ a link and QR code for a receipt, a counter or a bus stop)
 * - public: GET /api/public/statistics/:slug (PublicStatsQuery → PublicStats),
 *   GET/POST /api/public/surveys/:token (SurveyAnswerBody)
 */

export const KeyFigures = z.object({
  territory: z.object({ name: z.string(), slug: z.string() }),
  year: z.number().int(),
  /** Whole months included (the current year stops at the last complete month). */
  months: z.number().int(),
  visits: VisitsDashboard,
  requests: RequestsDashboard,
  satisfaction: SatisfactionDashboard,
});
export type KeyFigures = z.infer<typeof KeyFigures>;
