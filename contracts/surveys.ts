import { z } from 'zod';
import { Uuid } from './common.ts';
import { SurveyContexts } from './observatory.ts';
import { VisitChannel } from './visits.ts';

/**
 * Survey links (issue 7): where people get the anonymous satisfaction survey.
 * - 'accueil': printed on a visit receipt, one answer, expires after 30 days;
 * - 'lieu' (counter poster) and 'arret_bus' (bus-stop poster): many answers, until revoked;
 * - 'saisine': derived from a closed request, shown on its public status page (created on first use).
 * A link names no visit, request or person, and an answer never names its link.
 */
export const CreatableSurveyContexts = ['accueil', 'lieu', 'arret_bus'] as const;

export const SurveyLinksParams = z.strictObject({ territoryId: Uuid });
export const SurveyLinkParams = z.strictObject({ territoryId: Uuid, id: Uuid });
export const SurveyTokenParams = z.strictObject({
  token: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, { message: 'lien de questionnaire invalide' }),
});

export const CreateSurveyLinkBody = z.strictObject({
  contactPointId: Uuid,
  context: z.enum(CreatableSurveyContexts, { message: 'contexte attendu : accueil, lieu ou arret_bus' }),
  busStopId: Uuid.optional(),
  channel: VisitChannel.optional(),
});
export type CreateSurveyLinkBody = z.infer<typeof CreateSurveyLinkBody>;

export const SurveyLinksQuery = z.strictObject({ contactPointId: Uuid.optional() });

export const SurveyLinkView = z.object({
  id: Uuid,
  contactPointId: Uuid,
  contactPoint: z.string(),
  context: z.enum(SurveyContexts),
  busStopId: Uuid.nullable(),
  busStop: z.string().nullable(),
  channel: z.string().nullable(),
  /** The public address of the form (/avis/<token>). */
  url: z.string(),
  token: z.string(),
  /** The QR code of the url, as an SVG document. */
  qrSvg: z.string(),
  multiUse: z.boolean(),
  answers: z.number().int(),
  expiresAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type SurveyLinkView = z.infer<typeof SurveyLinkView>;

export const SurveyLinksView = z.object({ items: z.array(SurveyLinkView) });
export type SurveyLinksView = z.infer<typeof SurveyLinksView>;

/** What the public form shows before the questions: no personal data. */
export const PublicSurveyView = z.object({
  contactPoint: z.string(),
  commune: z.string().nullable(),
  context: z.enum(SurveyContexts),
  busStop: z.string().nullable(),
});
export type PublicSurveyView = z.infer<typeof PublicSurveyView>;

export const SURVEY_POSTER_TEXT = 'Votre avis compte — 1 minute, anonyme';
export const SURVEY_ANONYMITY_NOTE =
  'Ce questionnaire est anonyme : votre réponse n’est reliée ni à votre passage, ni à votre demande, ni à votre nom. Seuls le lieu d’accueil et le jour de la réponse sont conservés.';
