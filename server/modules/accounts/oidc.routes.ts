import { and, eq, gt, lte } from 'drizzle-orm';
import * as oidc from 'openid-client';
import { z } from 'zod';
import type { App } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { recordAudit } from '../../platform/audit.ts';
import { auditContextOf } from '../../platform/auth.ts';
import { AppError } from '../../platform/errors.ts';
import { requestInfo, setSessionCookie } from './accounts.routes.ts';
import { oidcLoginStates, users } from './accounts.schema.ts';
import { oidcConfiguration } from './oidc.client.ts';
import { openSession } from './sessions.service.ts';

const STATE_TTL_MS = 10 * 60_000;
const tags = ['authentification'];
/** Where to land after sign-in: a path of this site only (no scheme, no `//host`, no backslash). */
const ReturnTo = z
  .string()
  .regex(/^\/(?!\/)[^\s\\]*$/)
  .max(300)
  .default('/');

const disabled = () => new AppError('OIDC_DISABLED', 404, 'La connexion par fournisseur d’identité n’est pas configurée.');
const unavailable = () =>
  new AppError(
    'OIDC_UNAVAILABLE',
    503,
    'Le fournisseur d’identité ne répond pas. Réessayez plus tard ou connectez-vous avec votre mot de passe.',
  );

/** What went wrong with the provider, for the audit journal: the library's code and the OAuth error. */
function describe(error: unknown) {
  const e = (error ?? {}) as { code?: unknown; error?: unknown; message?: unknown };
  return {
    reason: typeof e.message === 'string' ? e.message.slice(0, 200) : 'unknown',
    ...(typeof e.code === 'string' ? { errorCode: e.code } : {}),
    ...(typeof e.error === 'string' ? { oauthError: e.error.slice(0, 100) } : {}),
  };
}

/**
 * Sign-in through an OpenID Connect provider (ProConnect in production): authorization code with
 * state and nonce, plus PKCE (S256) whenever the provider's discovery document announces it. The
 * state, nonce and PKCE verifier stay server-side, single-use, for ten minutes. The identity is
 * read from the userinfo endpoint (a signed JWT at ProConnect, accepted when discovery lists
 * `userinfo_signing_alg_values_supported`) and maps to an existing account by its email; nobody
 * is created on the fly. Signing out (POST /api/auth/logout) revokes the local session and gives
 * the provider's end-session URL, with the ID token kept sealed in the session as its hint.
 */
export function oidcRoutes(app: App, ctx: AppContext) {
  const settings = ctx.config.oidc;
  const configuration = () => oidcConfiguration(ctx)!;
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
      if (!settings) throw disabled();
      const config = await configuration().catch((error) => {
        req.log.warn({ err: error }, 'OIDC discovery failed');
        throw unavailable();
      });
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const now = ctx.clock.now();
      await ctx.db.transaction(async (tx) => {
        await tx.delete(oidcLoginStates).where(lte(oidcLoginStates.expiresAt, now));
        await tx.insert(oidcLoginStates).values({
          state,
          codeVerifier,
          nonce,
          returnTo: req.query.returnTo,
          expiresAt: new Date(now.getTime() + STATE_TTL_MS),
        });
      });
      const parameters: Record<string, string> = { redirect_uri: redirectUri(), scope: settings.scopes, state, nonce };
      if (config.serverMetadata().supportsPKCE()) {
        parameters.code_challenge = await oidc.calculatePKCECodeChallenge(codeVerifier);
        parameters.code_challenge_method = 'S256';
      }
      return reply.redirect(oidc.buildAuthorizationUrl(config, parameters).href, 302);
    },
  );

  app.get(
    '/api/auth/oidc/callback',
    {
      config: { auth: 'public' },
      schema: { tags, summary: 'Retour du fournisseur d’identité', querystring: z.record(z.string(), z.string()) },
    },
    async (req, reply) => {
      if (!settings) throw disabled();
      const fail = async (code: string, data: Record<string, unknown> = {}) => {
        await recordAudit(ctx.db, auditContextOf(req), { type: 'auth.oidc_refused', data: { code, ...data } });
        return reply.redirect(`/connexion?erreur=${code}`, 302);
      };
      const now = ctx.clock.now();
      // Single use: the row is deleted as it is read, whatever happens next.
      const [pending] = await ctx.db
        .delete(oidcLoginStates)
        .where(and(eq(oidcLoginStates.state, req.query.state ?? ''), gt(oidcLoginStates.expiresAt, now)))
        .returning();
      if (!pending) return fail('OIDC_STATE_INVALID');
      if (req.query.error) return fail('OIDC_PROVIDER_ERROR', { error: req.query.error.slice(0, 100) });
      let subject: string;
      let email: string | undefined;
      let idToken: string | undefined;
      try {
        const config = await configuration();
        // The redirect_uri sent to the token endpoint is this URL without its query: build it
        // from PUBLIC_URL so it matches the registered one exactly, even behind a proxy.
        const currentUrl = new URL(redirectUri());
        currentUrl.search = new URLSearchParams(req.query).toString();
        const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
          pkceCodeVerifier: config.serverMetadata().supportsPKCE() ? pending.codeVerifier : undefined,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        subject = tokens.claims()!.sub;
        idToken = tokens.id_token;
        const info = await oidc.fetchUserInfo(config, tokens.access_token, subject);
        email = typeof info.email === 'string' ? info.email : undefined;
        // ProConnect vouches for the professional email and sends no email_verified; a provider
        // that says the email is unverified is refused.
        if (!email || info.email_verified === false) return fail('OIDC_EMAIL_UNVERIFIED', { sub: subject });
      } catch (error) {
        req.log.warn({ err: error }, 'OIDC callback failed');
        return fail('OIDC_EXCHANGE_FAILED', describe(error));
      }
      const [user] = await ctx.db.select().from(users).where(eq(users.email, email.toLowerCase()));
      if (!user) return fail('OIDC_UNKNOWN_ACCOUNT', { email, sub: subject });
      if (user.status === 'deactivated') return fail('ACCOUNT_DEACTIVATED', { email, sub: subject, userId: user.id });
      const session = await ctx.db.transaction(async (tx) => {
        if (user.status === 'invited') await tx.update(users).set({ status: 'active' }).where(eq(users.id, user.id));
        const opened = await openSession(tx, {
          userId: user.id,
          method: 'oidc',
          ip: req.ip,
          userAgent: requestInfo(req).userAgent,
          now,
          ttlMs: ctx.config.sessionTtlMs,
          oidcIdToken: idToken ? ctx.secretBox.seal(idToken) : undefined,
        });
        await recordAudit(
          tx,
          { ...auditContextOf(req), actorUserId: user.id },
          {
            type: 'auth.sign_in',
            targetType: 'user',
            targetId: user.id,
            data: { method: 'oidc', issuer: settings.issuer, sub: subject },
          },
        );
        return opened;
      });
      setSessionCookie(ctx, reply, session.token);
      return reply.redirect(pending.returnTo, 302);
    },
  );
}
