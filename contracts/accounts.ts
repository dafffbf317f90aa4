import { z } from 'zod';
import { Email, NewPassword, Role, Uuid } from './common.ts';

export const LoginBody = z.strictObject({ email: Email, password: z.string().min(1).max(200) });
export const PasswordResetRequestBody = z.strictObject({ email: Email });
export const PasswordResetConfirmBody = z.strictObject({ token: z.string().min(20).max(200), password: NewPassword });
export const ChangePasswordBody = z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword: NewPassword });
export const AcceptInvitationBody = z.strictObject({
  token: z.string().min(20).max(200),
  password: NewPassword,
  displayName: z.string().trim().min(2).max(120).optional(),
});

export const MembershipView = z.object({
  id: Uuid,
  role: Role,
  territory: z.object({ id: Uuid, name: z.string(), slug: z.string() }),
  contactPoint: z.object({ id: Uuid, name: z.string() }).nullable(),
  organisation: z.object({ id: Uuid, name: z.string(), acronym: z.string() }).nullable(),
});
export type MembershipView = z.infer<typeof MembershipView>;

export const Me = z.object({
  user: z.object({ id: Uuid, email: z.string(), displayName: z.string(), isPlatformAdmin: z.boolean() }),
  memberships: z.array(MembershipView),
  csrfToken: z.string(),
});
export type Me = z.infer<typeof Me>;

export const LogoutResult = z.object({
  /** The identity provider's sign-out page to open next, after a ProConnect sign-in; null otherwise. */
  redirectTo: z.string().nullable(),
});

export const AuthConfig = z.object({
  oidc: z.object({ enabled: z.boolean(), label: z.string() }),
  /** Aidants Connect (AIDANTS_CONNECT_URL): for procedures that need FranceConnect on the partner's site. */
  aidantsConnectUrl: z.string(),
  /** No SMS provider configured: the messages are shown in the « Boîte d’envoi SMS » page. */
  smsOutbox: z.boolean(),
  /** No SMTP server configured: the emails are shown in the « Boîte d’envoi des courriels » page. */
  mailOutbox: z.boolean(),
});

export const SessionView = z.object({
  id: Uuid,
  current: z.boolean(),
  method: z.enum(['password', 'oidc']),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});
export type SessionView = z.infer<typeof SessionView>;

export const InvitationPreview = z.object({ email: z.string(), displayName: z.string() });
