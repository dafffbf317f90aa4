import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from './app-context.ts';
import { registerAccountJobs } from './modules/accounts/accounts.jobs.ts';
import { accountsRoutes } from './modules/accounts/accounts.routes.ts';
import { apiTokensRoutes } from './modules/accounts/api-tokens.routes.ts';
import { membersRoutes } from './modules/accounts/members.routes.ts';
import { oidcRoutes } from './modules/accounts/oidc.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { finderRoutes } from './modules/finder/finder.routes.ts';
import { registerKnowledgeJobs } from './modules/knowledge/knowledge.jobs.ts';
import { knowledgeRoutes } from './modules/knowledge/knowledge.routes.ts';
import { busStopsRoutes } from './modules/network/bus-stops.routes.ts';
import { exportRoutes } from './modules/network/export/export.routes.ts';
import { registerImportJobs } from './modules/network/import/import.jobs.ts';
import { importRoutes } from './modules/network/import/import.routes.ts';
import { networkRoutes } from './modules/network/network.routes.ts';
import { partnersRoutes } from './modules/network/partners.routes.ts';
import { registerNotificationJobs } from './modules/notifications/notifications.jobs.ts';
import { notificationsRoutes } from './modules/notifications/notifications.routes.ts';
import { observatoryExportRoutes } from './modules/observatory/exports.routes.ts';
import { observatoryRoutes } from './modules/observatory/observatory.routes.ts';
import { surveysRoutes } from './modules/observatory/surveys.routes.ts';
import { peopleLifecycleRoutes } from './modules/people/lifecycle.routes.ts';
import { mandatesRoutes } from './modules/people/mandates.routes.ts';
import { peopleRoutes } from './modules/people/people.routes.ts';
import { registerPeopleJobs } from './modules/people/retention.jobs.ts';
import { partnerApiRoutes } from './modules/requests/partner-api.routes.ts';
import { registerRequestJobs } from './modules/requests/requests.jobs.ts';
import { requestsRoutes } from './modules/requests/requests.routes.ts';
import { systemRoutes } from './modules/system/system.routes.ts';
import { visitsRoutes } from './modules/visits/visits.routes.ts';
import { registerWebhookJobs } from './modules/webhooks/webhooks.jobs.ts';
import { webhooksRoutes } from './modules/webhooks/webhooks.routes.ts';
import { registerAuth } from './platform/auth.ts';
import { AppError } from './platform/errors.ts';
import { frameworkErrors, registerProblemHandler, sendProblem } from './platform/http.ts';
import { registerMetrics } from './platform/metrics.ts';

z.config(z.locales.fr());

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;
export const webRoot = resolve(import.meta.dirname, '../dist/web');

/** Builds the HTTP application: platform plugins, then each module's routes. Does not listen. */
export async function buildApp(ctx: AppContext, options: { logger?: boolean } = {}): Promise<App> {
  const app = Fastify({
    logger: options.logger === false ? false : { level: ctx.config.logLevel },
    bodyLimit: ctx.config.bodyLimit,
    frameworkErrors,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    trustProxy: ctx.config.env === 'production' ? 'loopback' : false,
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemHandler(app);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'API Relais',
        version: '0.1.0',
        description:
          "API de Relais. Les erreurs suivent la RFC 9457 (application/problem+json) avec un code stable. Les écritures authentifiées par cookie demandent l'en-tête X-CSRF-Token.",
      },
      components: {
        securitySchemes: {
          cookieAuth: { type: 'apiKey', in: 'cookie', name: 'relais_session' },
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'Jeton d’API d’un partenaire' },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  registerAuth(app, ctx);
  registerMetrics(app);

  await app.register(async (api) => {
    systemRoutes(api, ctx);
    accountsRoutes(api, ctx);
    oidcRoutes(api, ctx);
    apiTokensRoutes(api, ctx);
    membersRoutes(api, ctx);
    networkRoutes(api, ctx);
    partnersRoutes(api, ctx);
    busStopsRoutes(api, ctx);
    importRoutes(api, ctx);
    exportRoutes(api, ctx);
    auditRoutes(api, ctx);
    finderRoutes(api, ctx);
    peopleRoutes(api, ctx);
    requestsRoutes(api, ctx);
    partnerApiRoutes(api, ctx);
    peopleLifecycleRoutes(api, ctx);
    mandatesRoutes(api, ctx);
    visitsRoutes(api, ctx);
    notificationsRoutes(api, ctx);
    webhooksRoutes(api, ctx);
    knowledgeRoutes(api, ctx);
    observatoryRoutes(api, ctx);
    observatoryExportRoutes(api, ctx);
    surveysRoutes(api, ctx);
  });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { auth: 'public' } }, () => app.swagger());
  registerAccountJobs(ctx);
  registerImportJobs(ctx);
  registerPeopleJobs(ctx);
  registerNotificationJobs(ctx);
  registerRequestJobs(ctx);
  registerWebhookJobs(ctx);
  registerKnowledgeJobs(ctx);

  const hasWeb = existsSync(join(webRoot, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: false });
  app.setNotFoundHandler((req, reply) => {
    // Paths with an extension are files: a missing one is a 404, not the SPA (stale asset after a rebuild).
    const isPage = !/\.[a-z0-9]+$/i.test(req.url.split('?')[0] ?? '');
    if (hasWeb && req.method === 'GET' && !req.url.startsWith('/api/') && isPage) {
      return reply.type('text/html; charset=utf-8').sendFile('index.html'); // the SPA routes itself
    }
    return sendProblem(req, reply, new AppError('ROUTE_NOT_FOUND', 404, "Cette adresse n'existe pas."));
  });
  return app;
}
