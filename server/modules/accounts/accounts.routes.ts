import { and, eq, isNull } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  AcceptInvitationBody,
  AuthConfig,
  ChangePasswordBody,
  InvitationPreview,
  LoginBody,
  LogoutResult,
  Me,
  PasswordResetConfirmBody,
  PasswordResetRequestBody,
  SessionView,
} from '../../../contracts/accounts.ts';
import { IdParams } from '../../../contracts/common.ts';
import type { App } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { recordAudit } from '../../platform/audit.ts';
import { auditContextOf, userOf } from '../../platform/auth.ts';
import { notFound } from '../../platform/errors.ts';
import { sessions } from './accounts.schema.ts';
import {
  acceptInvitation,
  changePassword,
  findValidUserToken,
  requestPasswordReset,
  resetPassword,
  signInWithPassword,
} from './auth.service.ts';
import { listOpenSessions, loadMe } from './me.queries.ts';
import { oidcLogoutUrl } from './oidc.client.ts';
import { SESSION_COOKIE } from './sessions.service.ts';

const tags = ['authentification'];

export function setSessionCookie(ctx: AppContext, reply: FastifyReply, token: string) {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.publicUrl.startsWith('https://'),
    maxAge: Math.floor(ctx.config.sessionTtlMs / 1000),
  });
}

export const requestInfo = (req: FastifyRequest) => ({ ip: req.ip, userAgent: req.headers['user-agent'], audit: auditContextOf(req) });

export function accountsRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/auth/config',
    { config: { auth: 'public' }, schema: { tags, summary: 'Moyens de connexion proposés', response: { 200: AuthConfig } } },
    async () => ({
      oidc: { enabled: !!ctx.config.oidc, label: ctx.config.oidc?.label ?? 'ProConnect' },
      aidantsConnectUrl: ctx.config.aidantsConnectUrl,
      smsOutbox: !ctx.config.sms.provider,
      mailOutbox: !ctx.config.mail.smtpUrl,
    }),
  );

  app.post(
    '/api/auth/login',
    { config: { auth: 'public' }, schema: { tags, summary: 'Se connecter avec un compte local', body: LoginBody, response: { 200: Me } } },
    async (req, reply) => {
      const session = await signInWithPassword(ctx, req.body, requestInfo(req));
      setSessionCookie(ctx, reply, session.token);
      return loadMe(ctx.db, session.userId, session.csrfToken);
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags,
        summary: 'Se déconnecter (et, après ProConnect, l’adresse où se déconnecter du fournisseur)',
        response: { 200: LogoutResult },
      },
    },
    async (req, reply) => {
      const actor = userOf(req);
      const idToken = await ctx.db.transaction(async (tx) => {
        const [row] = await tx.select({ idToken: sessions.oidcIdToken }).from(sessions).where(eq(sessions.id, actor.sessionId));
        await tx.update(sessions).set({ revokedAt: ctx.clock.now(), oidcIdToken: null }).where(eq(sessions.id, actor.sessionId));
        await recordAudit(tx, auditContextOf(req), { type: 'auth.sign_out', targetType: 'session', targetId: actor.sessionId });
        return row?.idToken ?? null;
      });
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { redirectTo: await oidcLogoutUrl(ctx, idToken) };
    },
  );

  app.get('/api/auth/me', { schema: { tags, summary: 'La personne connectée et ses rôles', response: { 200: Me } } }, async (req) =>
    loadMe(ctx.db, userOf(req).userId, req.csrfToken!),
  );

  app.post(
    '/api/auth/password-reset',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'Recevoir un lien de réinitialisation par e-mail',
        body: PasswordResetRequestBody,
        response: { 202: z.null() },
      },
    },
    async (req, reply) => {
      await requestPasswordReset(ctx, req.body.email, auditContextOf(req));
      return reply.code(202).send(null);
    },
  );

  app.post(
    '/api/auth/password-reset/confirm',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'Choisir un nouveau mot de passe avec le lien reçu',
        body: PasswordResetConfirmBody,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await resetPassword(ctx, req.body, auditContextOf(req));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/invitations/:token',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'Voir une invitation',
        params: z.strictObject({ token: z.string().min(20).max(200) }),
        response: { 200: InvitationPreview },
      },
    },
    async (req) => findValidUserToken(ctx, req.params.token, 'invitation'),
  );

  app.post(
    '/api/auth/invitations/accept',
    {
      config: { auth: 'public' },
      schema: { tags, summary: 'Accepter une invitation et choisir son mot de passe', body: AcceptInvitationBody, response: { 200: Me } },
    },
    async (req, reply) => {
      const session = await acceptInvitation(ctx, req.body, requestInfo(req));
      setSessionCookie(ctx, reply, session.token);
      return loadMe(ctx.db, session.userId, session.csrfToken);
    },
  );

  const account = ['compte'];
  app.get(
    '/api/account/sessions',
    { schema: { tags: account, summary: 'Mes sessions ouvertes', response: { 200: z.array(SessionView) } } },
    async (req) => {
      const actor = userOf(req);
      return listOpenSessions(ctx.db, actor.userId, actor.sessionId, ctx.clock.now());
    },
  );

  app.delete(
    '/api/account/sessions/:id',
    { schema: { tags: account, summary: 'Fermer une de mes sessions', params: IdParams, response: { 204: z.null() } } },
    async (req, reply) => {
      const actor = userOf(req);
      const revoked = await ctx.db.transaction(async (tx) => {
        const rows = await tx
          .update(sessions)
          .set({ revokedAt: ctx.clock.now() })
          .where(and(eq(sessions.id, req.params.id), eq(sessions.userId, actor.userId), isNull(sessions.revokedAt)))
          .returning({ id: sessions.id });
        if (rows.length)
          await recordAudit(tx, auditContextOf(req), { type: 'auth.session_revoked', targetType: 'session', targetId: req.params.id });
        return rows.length > 0;
      });
      if (!revoked) throw notFound('Cette session');
      if (req.params.id === actor.sessionId) reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/account/password',
    { schema: { tags: account, summary: 'Changer mon mot de passe', body: ChangePasswordBody, response: { 204: z.null() } } },
    async (req, reply) => {
      const actor = userOf(req);
      await changePassword(ctx, { userId: actor.userId, sessionId: actor.sessionId, ...req.body }, auditContextOf(req));
      return reply.code(204).send(null);
    },
  );
}
