import type { Executor } from '../db/client.ts';
import { auditEvents } from '../modules/audit/audit.schema.ts';

/** Security and business events; types are dotted `area.verb` names (see docs/glossary.md). */
export type AuditEventType =
  | 'auth.sign_in'
  | 'auth.sign_in_failed'
  | 'auth.locked_out'
  | 'auth.sign_out'
  | 'auth.oidc_refused'
  | 'auth.password_changed'
  | 'auth.password_reset_requested'
  | 'auth.password_reset'
  | 'auth.session_revoked'
  | 'user.invited'
  | 'user.invitation_accepted'
  | 'user.deactivated_inactive'
  | 'user.reactivated'
  | 'user.inactivity_warned'
  | 'user.notification_mode_changed'
  | 'mail_outbox.read'
  | 'membership.granted'
  | 'membership.revoked'
  | 'api_token.created'
  | 'api_token.used'
  | 'api_token.revoked'
  | 'territory.created'
  | 'contact_point.created'
  | 'contact_point.updated'
  | 'contact_point.closed'
  | 'contact_point.reopened'
  | 'contact_point.partners_set'
  | 'organisation.created'
  | 'organisation.updated'
  | 'referent.created'
  | 'referent.updated'
  | 'referent.deleted'
  | 'bus_stop.created'
  | 'bus_stop.series_created'
  | 'bus_stop.updated'
  | 'bus_stop.cancelled'
  | 'network.imported'
  | 'network.import_files_purged'
  | 'person.created'
  | 'person.read'
  | 'person.updated'
  | 'person.identifier_revealed'
  | 'person.consent_given'
  | 'person.consent_withdrawn'
  | 'person.shared'
  | 'person.merged'
  | 'person.exported'
  | 'person.erased'
  | 'people.retention_applied'
  | 'security.key_rotated'
  | 'taxonomy.theme_created'
  | 'taxonomy.theme_updated'
  | 'taxonomy.group_created'
  | 'taxonomy.group_updated'
  | 'visit.created'
  | 'visit.corrected'
  | 'mandate.read'
  | 'mandate.created'
  | 'mandate.renewed'
  | 'mandate.revoked'
  | 'mandate.document_uploaded'
  | 'mandate.document_read'
  | 'mandate.sms_code_failed'
  | 'sms.sent'
  | 'sms.failed'
  | 'request.created'
  | 'request.read'
  | 'request.updated'
  | 'request.looked_up'
  | 'request.settings_changed'
  | 'request.attachment_added'
  | 'request.attachment_read'
  | 'request.receipt_read'
  | 'request.receipt_sms'
  | 'request.status_checked'
  | 'requests.reminders_sent'
  | 'requests.retention_applied'
  | 'webhook.created'
  | 'webhook.updated'
  | 'webhook.deleted'
  | 'webhook.secret_rotated'
  | 'webhook.redelivered'
  | 'webhook.pinged'
  | 'knowledge.sheet_created'
  | 'knowledge.sheet_updated'
  | 'knowledge.sheet_verified'
  | 'knowledge.sheet_archived'
  | 'knowledge.proposal_accepted'
  | 'knowledge.proposal_rejected'
  | 'knowledge.imported'
  | 'knowledge.synonyms_updated'
  | 'observatory.exported'
  | 'survey_link.created'
  | 'survey_link.revoked';

export interface AuditContext {
  actorUserId?: string | null;
  actorTokenId?: string | null;
  ip?: string | null;
  requestId?: string | null;
}

export interface AuditEntry {
  type: AuditEventType;
  territoryId?: string | null;
  targetType?: string;
  targetId?: string;
  data?: Record<string, unknown>;
}

/** Records an event in the caller's transaction, so the event exists exactly when the change does. */
export async function recordAudit(tx: Executor, ctx: AuditContext, entry: AuditEntry): Promise<void> {
  await tx.insert(auditEvents).values({
    type: entry.type,
    territoryId: entry.territoryId ?? null,
    targetType: entry.targetType,
    targetId: entry.targetId,
    data: entry.data ?? {},
    actorUserId: ctx.actorUserId ?? null,
    actorTokenId: ctx.actorTokenId ?? null,
    ip: ctx.ip ?? null,
    requestId: ctx.requestId ?? null,
  });
}

/** The journal's "before" of an update: the row's values of the fields the change names. */
export function valuesBefore(row: object, changes: object): Record<string, unknown> {
  const values = row as Record<string, unknown>;
  return Object.fromEntries(Object.keys(changes).map((key) => [key, values[key]]));
}
