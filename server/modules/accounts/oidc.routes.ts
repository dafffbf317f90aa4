import { and, eq, gt } from 'drizzle-orm';
import * as oidc from 'openid-client';
import { z } from 'zod';
import type { App } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { recordAudit } from '../../platform/audit.ts';
import { auditContextOf } from '../../platform/auth.ts';
import { AppError } from '../../platform/errors.ts';
import { requestInfo, setSessionCookie } from './accounts.routes.ts';
import { oidcLoginStates, users } from './accounts.schema.ts';
import { openSession } from './sessions.service.ts';

const STATE_TTL_MS = 10 * 60_000;
const tags = ['authentification'];
const ReturnTo = z
  .string()
  .regex(/^\/(?!\/)[^\s\\]*$/)
  .max(300)
  .default('/');

/**
 * Sign-in through an OpenID Connect provider (ProConnect in production): authorization code with
 * PKCE, state and nonce kept server-side for ten minutes. The identity maps to an existing
 * account by its verified email; nobody is created on the fly.
 */
export function oidcRoutes(app: App, ctx: AppContext) {
  const settings = ctx.config.oidc;
  let discovered: Promise<oidc.Configuration> | null = null;
  const configuration = () => {
    if (!settings) throw new AppError('OIDC_DISABLED', 404, 'La connexion par fournisseur d’identité n’est pas configurée.');
    discovered ??= oidc
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        settings.clientSecret,
        undefined,
        settings.allowHttp ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((error) => {
        discovered = null;
        throw error;
      });
    return discovered;
  };
  const redirectUri = () => `${ctx.config.publicUrl}/api/auth/oidc/callback`;

  app.get(
    '/api/auth/oidc/login',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: `Se connecter avec ${settings?.label ?? 'le fournisseur d’identité'}`,
        querystring: z.strictObject({ returnTo: ReturnTo }),
      },
    },
    async (req, reply) => {
      const config = await configuration().catch(() => {
        throw new AppError(
          'OIDC_UNAVAILABLE',
          503,
          'Le fournisseur d’identité ne répond pas. Réessayez plus tard ou connectez-vous avec votre mot de passe.',
        );
      });
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      await ctx.db.insert(oidcLoginStates).values({
        state,
        codeVerifier,
        nonce,
        returnTo: req.query.returnTo,
        expiresAt: new Date(ctx.clock.now().getTime() + STATE_TTL_MS),
      });
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri(),
        scope: settings!.scopes,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return reply.redirect(url.href, 302);
    },
  );

  app.get(
    '/api/auth/oidc/callback',
    {
      config: { auth: 'public' },
      schema: { tags, summary: 'Retour du fournisseur d’identité', querystring: z.record(z.string(), z.string()) },
    },
    async (req, reply) => {
      const fail = async (code: string, data: Record<string, unknown> = {}) => {
        await recordAudit(ctx.db, auditContextOf(req), { type: 'auth.oidc_refused', data: { code, ...data } });
        return reply.redirect(`/connexion?erreur=${code}`, 302);
      };
      const stateParam = req.query.state ?? '';
      const now = ctx.clock.now();
      const [pending] = await ctx.db
        .delete(oidcLoginStates)
        .where(and(eq(oidcLoginStates.state, stateParam), gt(oidcLoginStates.expiresAt, now)))
        .returning();
      if (!pending) return fail('OIDC_STATE_INVALID');
      if (req.query.error) return fail('OIDC_PROVIDER_ERROR', { error: req.query.error });
      let email: string | undefined;
      try {
        const config = await configuration();
        const currentUrl = new URL(req.url, ctx.config.publicUrl);
        const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        const claims = tokens.claims();
        const info = await oidc.fetchUserInfo(config, tokens.access_token, claims?.sub ?? oidc.skipSubjectCheck);
        email = (info.email ?? claims?.email) as string | undefined;
        const verified = info.email_verified ?? claims?.email_verified;
        if (!email || verified === false) return fail('OIDC_EMAIL_UNVERIFIED');
      } catch (error) {
        req.log.warn({ err: error }, 'OIDC callback failed');
        return fail('OIDC_EXCHANGE_FAILED');
      }
      const [user] = await ctx.db.select().from(users).where(eq(users.email, email.toLowerCase()));
      if (!user) return fail('OIDC_UNKNOWN_ACCOUNT', { email });
      if (user.status === 'deactivated') return fail('ACCOUNT_DEACTIVATED', { email });
      const session = await ctx.db.transaction(async (tx) => {
        if (user.status === 'invited') await tx.update(users).set({ status: 'active' }).where(eq(users.id, user.id));
        const opened = await openSession(tx, {
          userId: user.id,
          method: 'oidc',
          ip: req.ip,
          userAgent: requestInfo(req).userAgent,
          now,
          ttlMs: ctx.config.sessionTtlMs,
        });
        await recordAudit(
          tx,
          { ...auditContextOf(req), actorUserId: user.id },
          { type: 'auth.sign_in', targetType: 'user', targetId: user.id, data: { method: 'oidc', issuer: settings!.issuer } },
        );
        return opened;
      });
      setSessionCookie(ctx, reply, session.token);
      return reply.redirect(pending.returnTo, 302);
    },
  );
}
