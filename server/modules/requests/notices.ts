import { and, eq, inArray } from 'drizzle-orm';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import { memberships } from '../accounts/accounts.schema.ts';
import { contactPoints, partnerOrganisations } from '../network/network.schema.ts';
import { notify } from '../notifications/index.ts';
import type { RequestRow } from './parties.ts';

/**
 * Who is told what about a request, by email (now or in the daily digest). Subjects and bodies
 * carry the reference, the organisation and the contact point, never the person or the subject
 * (which may name them): the recipient follows the link and signs in.
 */
export type Notice =
  | 'created'
  | 'partner_wrote'
  | 'info_requested'
  | 'answered'
  | 'agent_wrote'
  | 'rerouted'
  | 'assigned'
  | 'closed'
  | 'reopened'
  | 'reminder_half'
  | 'reminder_three_quarters'
  | 'breach';

async function partnerTeam(db: Executor, req: RequestRow, roles: ('referent' | 'manager')[] = ['referent', 'manager']) {
  const rows = await db
    .selectDistinct({ userId: memberships.userId })
    .from(memberships)
    .where(
      and(
        eq(memberships.territoryId, req.territoryId),
        eq(memberships.organisationId, req.organisationId),
        inArray(memberships.role, roles),
      ),
    );
  return rows.map((r) => r.userId);
}

async function coordinators(db: Executor, territoryId: string) {
  const rows = await db
    .selectDistinct({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.territoryId, territoryId), eq(memberships.role, 'coordinator')));
  return rows.map((r) => r.userId);
}

/** The partner side to tell: the referent in charge, else the one it was addressed to, else the whole team. */
async function partnerRecipients(db: Executor, req: RequestRow) {
  if (req.assigneeUserId) return [req.assigneeUserId];
  if (req.addressedToUserId) return [req.addressedToUserId];
  return partnerTeam(db, req);
}

/** The agent side: the agent who wrote it, if they still work at that contact point; else its agents. */
async function agentRecipients(db: Executor, req: RequestRow) {
  const agents = await db
    .selectDistinct({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.contactPointId, req.contactPointId), eq(memberships.role, 'agent')));
  const ids = agents.map((a) => a.userId);
  return req.createdBy && ids.includes(req.createdBy) ? [req.createdBy] : ids;
}

export async function tell(
  tx: Executor,
  ctx: AppContext,
  req: RequestRow,
  notice: Notice,
  options: { actorUserId?: string | null; notBefore?: Date } = {},
) {
  const [org] = await tx
    .select({ acronym: partnerOrganisations.acronym })
    .from(partnerOrganisations)
    .where(eq(partnerOrganisations.id, req.organisationId));
  const [cp] = await tx.select({ name: contactPoints.name }).from(contactPoints).where(eq(contactPoints.id, req.contactPointId));
  const ref = req.reference;
  const orgName = org?.acronym ?? 'l’organisme';
  const cpName = cp?.name ?? 'un lieu d’accueil';
  let userIds: string[] = [];
  let subject = '';
  let body = '';
  switch (notice) {
    case 'created':
    case 'rerouted':
      userIds = await partnerRecipients(tx, req);
      subject = `Nouvelle saisine ${ref} pour ${orgName}`;
      body =
        notice === 'created'
          ? `${cpName} a envoyé une saisine à ${orgName}. Réponse attendue sous ${req.firstAnswerDays} jours ouvrés.`
          : `Une saisine a été réorientée vers ${orgName}. Réponse attendue sous ${req.firstAnswerDays} jours ouvrés.`;
      break;
    case 'agent_wrote':
      userIds = await partnerRecipients(tx, req);
      subject = `Saisine ${ref} : nouveau message du lieu d’accueil`;
      body = `${cpName} a écrit dans la saisine ${ref}.`;
      break;
    case 'assigned':
      userIds = req.assigneeUserId ? [req.assigneeUserId] : [];
      subject = `Saisine ${ref} : elle vous est attribuée`;
      body = `La saisine ${ref} de ${cpName} vous a été attribuée.`;
      break;
    case 'partner_wrote':
    case 'info_requested':
    case 'answered':
      userIds = await agentRecipients(tx, req);
      subject =
        notice === 'answered'
          ? `Saisine ${ref} : ${orgName} a répondu`
          : notice === 'info_requested'
            ? `Saisine ${ref} : ${orgName} demande des informations`
            : `Saisine ${ref} : nouveau message de ${orgName}`;
      body =
        notice === 'info_requested'
          ? `${orgName} a besoin d’informations pour traiter la saisine ${ref}. Le délai est suspendu jusqu’à votre réponse.`
          : `${orgName} a écrit dans la saisine ${ref}.`;
      break;
    case 'closed':
    case 'reopened':
      userIds = [...(await partnerRecipients(tx, req)), ...(await agentRecipients(tx, req))];
      subject = `Saisine ${ref} ${notice === 'closed' ? 'clôturée' : 'rouverte'}`;
      body = `La saisine ${ref} entre ${cpName} et ${orgName} a été ${notice === 'closed' ? 'clôturée' : 'rouverte'}.`;
      break;
    case 'reminder_half':
    case 'reminder_three_quarters':
      userIds = await partnerRecipients(tx, req);
      subject = `Rappel : saisine ${ref} à ${notice === 'reminder_half' ? 'mi-délai' : '75 % du délai'}`;
      body = `La saisine ${ref} de ${cpName} attend une réponse de ${orgName}.`;
      break;
    case 'breach':
      userIds = [
        ...(await partnerRecipients(tx, req)),
        ...(await partnerTeam(tx, req, ['manager'])),
        ...(await coordinators(tx, req.territoryId)),
      ];
      subject = `Délai dépassé : saisine ${ref} (${orgName})`;
      body = `Le délai de réponse de la saisine ${ref}, envoyée par ${cpName} à ${orgName}, est dépassé.`;
      break;
  }
  const recipients = [...new Set(userIds)].filter((id) => id !== options.actorUserId);
  if (!recipients.length) return 0;
  return notify(tx, ctx, {
    territoryId: req.territoryId,
    userIds: recipients,
    requestId: req.id,
    kind: `request.${notice}`,
    subject,
    body,
    link: `/saisines/${req.id}`,
    notBefore: options.notBefore,
  });
}

/** The notice an event of the log gives rise to (none for notes, reads, ratings…). */
export function noticeOf(eventKind: string, side: string): Notice | null {
  switch (eventKind) {
    case 'created':
      return 'created';
    case 'rerouted':
      return 'rerouted';
    case 'assigned':
      return 'assigned';
    case 'info_requested':
      return 'info_requested';
    case 'answered':
      return 'answered';
    case 'message':
      return side === 'agent' ? 'agent_wrote' : 'partner_wrote';
    case 'info_provided':
      return 'agent_wrote';
    case 'closed':
      return 'closed';
    case 'reopened':
      return 'reopened';
    default:
      return null;
  }
}
