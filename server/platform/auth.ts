import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { resolveApiToken, resolveSession, SESSION_COOKIE } from '../modules/accounts/sessions.service.ts';
import { recordAudit } from './audit.ts';
import type { Actor, UserActor } from './authorize.ts';
import { AppError, unauthenticated } from './errors.ts';

/**
 * Who may call a route. Routes that say nothing need a signed-in user: deny by default.
 * `user_or_api_token`: a person or a partner's system (the use case authorizes either).
 */
export type RouteAuth = 'public' | 'user' | 'api_token' | 'user_or_api_token';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    actor: Actor | null;
    csrfToken: string | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';

export const securityFor = (auth: RouteAuth): Record<string, string[]>[] =>
  auth === 'public'
    ? []
    : auth === 'api_token'
      ? [{ bearerAuth: [] }]
      : auth === 'user_or_api_token'
        ? [{ cookieAuth: [] }, { bearerAuth: [] }]
        : [{ cookieAuth: [] }];

/** Resolves the caller (session cookie or bearer token), then enforces the route's requirement and CSRF. */
export function registerAuth(app: FastifyInstance, ctx: AppContext) {
  app.decorateRequest('actor', null);
  app.decorateRequest('csrfToken', null);
  app.addHook('onRoute', (route) => {
    const auth = route.config?.auth ?? 'user';
    route.config = { ...route.config, auth };
    if (route.schema && !route.schema.hide) route.schema = { ...route.schema, security: securityFor(auth) };
  });
  app.addHook('onRequest', async (req) => {
    const auth = req.routeOptions.config?.auth;
    if (!auth || !req.url.startsWith('/api/')) return; // static files and the SPA
    const now = ctx.clock.now();
    const bearer = req.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (bearer) {
      req.actor = await ctx.db.transaction(async (tx) => {
        const actor = await resolveApiToken(tx, bearer, now);
        if (actor?.kind === 'api_token') {
          await recordAudit(
            tx,
            { actorTokenId: actor.tokenId, ip: req.ip, requestId: String(req.id) },
            {
              type: 'api_token.used',
              territoryId: actor.territoryId,
              targetType: 'api_token',
              targetId: actor.tokenId,
              data: { method: req.method, route: req.routeOptions.url },
            },
          );
        }
        return actor;
      });
    } else {
      const cookie = req.cookies[SESSION_COOKIE];
      if (cookie) {
        const resolved = await resolveSession(ctx.db, cookie, now);
        req.actor = resolved?.actor ?? null;
        req.csrfToken = resolved?.csrfToken ?? null;
      }
    }
    if (auth === 'public') return; // public routes change nothing that belongs to a session
    if (!req.actor) {
      throw unauthenticated();
    } else if (auth === 'user' && req.actor.kind !== 'user') {
      throw new AppError('USER_SESSION_REQUIRED', 403, 'Cette action demande une personne connectée, pas un jeton d’API.');
    } else if (auth === 'api_token' && req.actor.kind !== 'api_token') {
      throw new AppError('API_TOKEN_REQUIRED', 403, 'Cette route est réservée aux systèmes des partenaires (jeton d’API).');
    }
    if (!SAFE_METHODS.has(req.method) && req.actor.kind === 'user' && req.headers[CSRF_HEADER] !== req.csrfToken) {
      throw new AppError('CSRF_TOKEN_INVALID', 403, 'Jeton anti-falsification (CSRF) manquant ou invalide. Rechargez la page.');
    }
  });
}

/** The signed-in user of a `user` route (the hook guarantees it). */
export function userOf(req: FastifyRequest): UserActor {
  if (req.actor?.kind !== 'user') throw unauthenticated();
  return req.actor;
}

export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw unauthenticated();
  return req.actor;
}

export function auditContextOf(req: FastifyRequest) {
  const actor = req.actor;
  return {
    actorUserId: actor?.kind === 'user' ? actor.userId : null,
    actorTokenId: actor?.kind === 'api_token' ? actor.tokenId : null,
    ip: req.ip,
    requestId: String(req.id),
  };
}
