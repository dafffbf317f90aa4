import { randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { AttachmentView } from '../../../contracts/requests.ts';
import type { AppContext } from '../../app-context.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { Actor } from '../../platform/authorize.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { checkRequestAttachmentsTotal, prepareAttachment } from '../../platform/files/index.ts';
import { appendEvent } from './log.ts';
import { loadForParty } from './parties.ts';
import { requestAttachments, requestMessages } from './requests.schema.ts';
import { OPEN_STATUSES } from './status.ts';

const viewOf = (a: typeof requestAttachments.$inferSelect): AttachmentView => ({
  id: a.id,
  fileName: a.fileName,
  contentType: a.contentType,
  sizeBytes: a.sizeBytes,
  scanStatus: a.scanStatus,
  messageId: a.messageId,
  side: a.side as 'agent' | 'partner',
  createdAt: a.createdAt.toISOString(),
});

/**
 * Adds a file to a request: type from its content (HEIC photos converted to JPEG), size limits
 * per file and per request, antivirus scan when configured (an infected file is refused, not
 * kept), bytes encrypted in the file store, then the row and a log event in one transaction.
 * The bytes are written before the row: a crash in between leaves an orphan file that no row
 * points to (nobody can read it), never a row without its file.
 */
export async function uploadAttachment(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  requestId: string,
  input: { fileName: string; bytes: Buffer; messageId?: string },
  audit: AuditContext,
): Promise<AttachmentView> {
  const { req, party } = await ctx.db.transaction((tx) => loadForParty(tx, actor, territoryId, requestId));
  if (party.side === 'coordination') throw forbidden('Seules les parties à la saisine y joignent des fichiers.');
  if (!OPEN_STATUSES.includes(req.status))
    throw new AppError('REQUEST_CLOSED', 409, 'Cette saisine est clôturée : rouvrez-la pour joindre un fichier.');
  const prepared = await prepareAttachment(input.bytes, input.fileName, { maxBytes: ctx.config.files.maxBytes });
  const [{ total }] = (await ctx.db
    .select({ total: sql<number>`coalesce(sum(${requestAttachments.sizeBytes}), 0)::bigint` })
    .from(requestAttachments)
    .where(and(eq(requestAttachments.requestId, req.id), isNull(requestAttachments.deletedAt)))) as [{ total: number }];
  checkRequestAttachmentsTotal(Number(total), prepared.sizeBytes, { requestMaxBytes: ctx.config.files.requestMaxBytes });
  const scan = await ctx.scanner.scan(prepared.data);
  if (scan === 'infecte') {
    throw new AppError(
      'ATTACHMENT_INFECTED',
      422,
      'L’antivirus a détecté un virus dans ce fichier : il n’a pas été joint. Demandez un autre exemplaire du document.',
    );
  }
  const storageKey = randomUUID();
  await ctx.files.put(storageKey, prepared.data);
  const side = party.side === 'agent' ? 'agent' : 'partner';
  try {
    return await ctx.db.transaction(async (tx) => {
      const { req: locked } = await loadForParty(tx, actor, territoryId, requestId, true);
      const now = ctx.clock.now(); // after the lock: the log stays in time order
      if (input.messageId) {
        const [m] = await tx
          .select({ id: requestMessages.id })
          .from(requestMessages)
          .where(and(eq(requestMessages.id, input.messageId), eq(requestMessages.requestId, req.id), eq(requestMessages.side, side)));
        if (!m) throw notFound('Ce message');
      }
      const [row] = await tx
        .insert(requestAttachments)
        .values({
          requestId: req.id,
          territoryId,
          messageId: input.messageId ?? null,
          fileName: prepared.safeFileName,
          contentType: prepared.contentType,
          sizeBytes: prepared.sizeBytes,
          sha256: prepared.sha256,
          storageKey,
          scanStatus: scan,
          uploadedBy: party.userId,
          uploadedByTokenId: party.tokenId,
          side,
          createdAt: now,
        })
        .returning();
      await appendEvent(
        tx,
        locked,
        { kind: 'attachment_added', party, data: { attachmentId: row!.id, converted: prepared.converted } },
        now,
      );
      await recordAudit(tx, audit, {
        type: 'request.attachment_added',
        territoryId,
        targetType: 'request',
        targetId: req.id,
        data: { attachmentId: row!.id, contentType: prepared.contentType, sizeBytes: prepared.sizeBytes, scan, personId: req.personId },
      });
      return viewOf(row!);
    });
  } catch (error) {
    await ctx.files.delete(storageKey).catch(() => {});
    throw error;
  }
}

/** The file, for the parties only (internal-note files for the partner side only); every download is journaled. */
export async function downloadAttachment(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  requestId: string,
  attachmentId: string,
  audit: AuditContext,
) {
  const row = await ctx.db.transaction(async (tx) => {
    const { req, party } = await loadForParty(tx, actor, territoryId, requestId);
    const [a] = await tx
      .select()
      .from(requestAttachments)
      .where(and(eq(requestAttachments.id, attachmentId), eq(requestAttachments.requestId, req.id), isNull(requestAttachments.deletedAt)));
    if (!a) throw notFound('Cette pièce jointe');
    // Internal notes are the partner side's only: the agent and the coordination do not see them (detailsView), nor their files.
    if (a.messageId && party.side !== 'partner') {
      const [m] = await tx.select({ internal: requestMessages.internal }).from(requestMessages).where(eq(requestMessages.id, a.messageId));
      if (m?.internal) throw notFound('Cette pièce jointe');
    }
    await recordAudit(tx, audit, {
      type: 'request.attachment_read',
      territoryId,
      targetType: 'request',
      targetId: req.id,
      data: { attachmentId: a.id, personId: req.personId },
    });
    return a;
  });
  return { fileName: row.fileName, contentType: row.contentType, data: await ctx.files.get(row.storageKey) };
}
