import { TerritoryParams } from '../../../contracts/common.ts';
import { ObservatoryQuery, SatisfactionDashboard, SurveyAnswerBody } from '../../../contracts/observatory.ts';
import {
  CreateSurveyLinkBody,
  PublicSurveyView,
  SurveyLinkParams,
  SurveyLinksQuery,
  SurveyLinksView,
  SurveyLinkView,
  SurveyTokenParams,
} from '../../../contracts/surveys.ts';
import type { App } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { actorOf, auditContextOf } from '../../platform/auth.ts';
import { satisfactionDashboard } from './satisfaction.service.ts';
import { answerSurvey, createSurveyLink, listSurveyLinks, publicSurvey, revokeSurveyLink } from './surveys.service.ts';

const tags = ['observatoire'];
const base = '/api/territories/:territoryId/observatory';
const config = { auth: 'user' as const };

export function surveysRoutes(app: App, ctx: AppContext) {
  app.post(
    `${base}/survey-links`,
    {
      config,
      schema: {
        tags,
        summary:
          'Créer un lien vers le questionnaire de satisfaction anonyme (reçu de passage : une réponse, 30 jours ; affiche au lieu ou à l’arrêt du bus : plusieurs réponses) et son QR code',
        params: TerritoryParams,
        body: CreateSurveyLinkBody,
        response: { 201: SurveyLinkView },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await createSurveyLink(ctx, actorOf(req), req.params.territoryId, req.body, auditContextOf(req))),
  );
  app.get(
    `${base}/survey-links`,
    {
      config,
      schema: {
        tags,
        summary: 'Lister les affiches de questionnaire (lieu, arrêt du bus) avec leur nombre de réponses',
        params: TerritoryParams,
        querystring: SurveyLinksQuery,
        response: { 200: SurveyLinksView },
      },
    },
    async (req) => listSurveyLinks(ctx, actorOf(req), req.params.territoryId, req.query),
  );
  app.post(
    `${base}/survey-links/:id/revoke`,
    {
      config,
      schema: {
        tags,
        summary: 'Retirer une affiche de questionnaire : son QR code ne permet plus de répondre',
        params: SurveyLinkParams,
        response: { 200: SurveyLinkView },
      },
    },
    async (req) => revokeSurveyLink(ctx, actorOf(req), req.params.territoryId, req.params.id, auditContextOf(req)),
  );
  app.get(
    `${base}/satisfaction`,
    {
      config,
      schema: {
        tags,
        summary: 'Satisfaction des personnes accueillies : réponses au questionnaire anonyme par lieu, canal et mois',
        params: TerritoryParams,
        querystring: ObservatoryQuery,
        response: { 200: SatisfactionDashboard },
      },
    },
    async (req) => satisfactionDashboard(ctx, actorOf(req), req.params.territoryId, req.query),
  );
  app.get(
    '/api/public/surveys/:token',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['public'],
        summary: 'Ouvrir le questionnaire de satisfaction anonyme d’un lien ou d’un QR code, sans connexion',
        params: SurveyTokenParams,
        response: { 200: PublicSurveyView },
      },
    },
    async (req) => publicSurvey(ctx, req.params.token),
  );
  app.post(
    '/api/public/surveys/:token',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['public'],
        summary: 'Répondre au questionnaire de satisfaction anonyme (une réponse par reçu ; réponses limitées par heure sur une affiche)',
        params: SurveyTokenParams,
        body: SurveyAnswerBody,
      },
    },
    async (req, reply) => {
      await answerSurvey(ctx, req.params.token, req.body);
      return reply.code(201).send(null);
    },
  );
}
