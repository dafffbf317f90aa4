import { z } from 'zod';
import { Email, Role, Uuid } from './common.ts';

export const MemberView = z.object({
  membershipId: Uuid,
  userId: Uuid,
  email: z.string(),
  displayName: z.string(),
  status: z.enum(['invited', 'active', 'deactivated']),
  role: Role,
  contactPointId: Uuid.nullable(),
  organisationId: Uuid.nullable(),
  lastActiveAt: z.iso.datetime().nullable(),
});
export type MemberView = z.infer<typeof MemberView>;

export const InviteBody = z
  .strictObject({
    email: Email,
    displayName: z.string().trim().min(2).max(120),
    role: Role,
    contactPointId: Uuid.nullable().optional(),
    organisationId: Uuid.nullable().optional(),
  })
  .superRefine((b, ctx) => {
    if (b.role === 'agent' && !b.contactPointId)
      ctx.addIssue({ code: 'custom', path: ['contactPointId'], message: 'un agent est rattaché à un lieu d’accueil' });
    if ((b.role === 'referent' || b.role === 'manager') && !b.organisationId)
      ctx.addIssue({ code: 'custom', path: ['organisationId'], message: 'un référent est rattaché à un partenaire' });
    if (b.role !== 'agent' && b.contactPointId)
      ctx.addIssue({ code: 'custom', path: ['contactPointId'], message: 'seul un agent est rattaché à un lieu d’accueil' });
    if (b.role !== 'referent' && b.role !== 'manager' && b.organisationId)
      ctx.addIssue({
        code: 'custom',
        path: ['organisationId'],
        message: 'seuls les référents et responsables sont rattachés à un partenaire',
      });
  });
export type InviteBody = z.infer<typeof InviteBody>;

export const InviteResult = z.object({ userId: Uuid, membershipId: Uuid, invited: z.boolean() });

export const AuditEventView = z.object({
  id: z.number(),
  occurredAt: z.iso.datetime(),
  type: z.string(),
  actorUserId: Uuid.nullable(),
  actorName: z.string().nullable(),
  actorTokenId: Uuid.nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
});
export const AuditQuery = z.strictObject({
  type: z.string().max(60).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ApiTokenView = z.object({
  id: Uuid,
  name: z.string(),
  prefix: z.string(),
  organisationId: Uuid,
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
});
export const CreateApiTokenBody = z.strictObject({
  organisationId: Uuid,
  name: z.string().trim().min(2).max(100),
  expiresInDays: z.number().int().min(1).max(366).default(90),
});
export const CreatedApiToken = ApiTokenView.extend({ token: z.string() });
