import { and, desc, eq } from 'drizzle-orm';
import { MANDATE_DOCUMENT_MAX_BYTES, type MandateDocumentBody } from '../../../contracts/mandates.ts';
import type { AppContext } from '../../app-context.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { type Actor, authorize, can } from '../../platform/authorize.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { territoryOf } from '../network/territory.ts';
import { mandateOf, mandateViews } from './mandates.queries.ts';
import { mandateDocuments } from './people.schema.ts';
import { findVisible } from './people.service.ts';
import { peopleAccess } from './search.ts';

/** The kinds of scan accepted, recognised from their first bytes (never from the file's name). */
const SIGNATURES: { contentType: string; bytes: number[] }[] = [
  { contentType: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { contentType: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { contentType: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];

export function sniffContentType(content: Buffer): string | null {
  return SIGNATURES.find((s) => s.bytes.every((b, i) => content[i] === b))?.contentType ?? null;
}

/** The signed paper form, scanned or photographed: PDF, JPEG or PNG, ≤ 5 MB, sealed at rest. */
export async function uploadMandateDocument(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  personId: string,
  mandateId: string,
  body: MandateDocumentBody,
  audit: AuditContext,
) {
  const access = peopleAccess(actor, territoryId);
  authorize(actor, 'mandates.read', { territoryId });
  const content = Buffer.from(body.contentBase64, 'base64');
  if (content.length > MANDATE_DOCUMENT_MAX_BYTES)
    throw new AppError('MANDATE_DOCUMENT_TOO_LARGE', 413, 'Le fichier dépasse 5 Mo : réduisez la résolution du scan ou de la photo.');
  const contentType = sniffContentType(content);
  if (!contentType)
    throw new AppError(
      'MANDATE_DOCUMENT_TYPE',
      415,
      'Ce fichier n’est pas un PDF, un JPEG ou un PNG : scannez ou photographiez le formulaire signé.',
    );
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await findVisible(tx, access, personId);
    const m = await mandateOf(tx, territoryId, personId, mandateId);
    authorize(actor, 'mandates.manage', { territoryId, contactPointId: m.contactPointId });
    if (m.consentMethod !== 'formulaire_signe')
      throw conflict('MANDATE_NOT_PAPER', 'Ce mandat n’a pas été signé sur papier : il n’y a pas de formulaire à joindre.');
    const [doc] = await tx
      .insert(mandateDocuments)
      .values({
        territoryId,
        mandateId,
        fileName: body.fileName,
        contentType,
        sizeBytes: content.length,
        contentSealed: ctx.secretBox.seal(content.toString('base64')),
        uploadedBy: access.userId,
        createdAt: now,
      })
      .returning({ id: mandateDocuments.id });
    await recordAudit(tx, audit, {
      type: 'mandate.document_uploaded',
      territoryId,
      targetType: 'person',
      targetId: personId,
      data: { mandateId, documentId: doc!.id, contentType, sizeBytes: content.length },
    });
  });
  const territory = await territoryOf(ctx.db, territoryId);
  const [view] = await mandateViews(ctx.db, {
    territoryId,
    personId,
    now,
    timeZone: territory.timezone,
    manageable: (contactPointId) => can(actor, 'mandates.manage', { territoryId, contactPointId }),
    ids: [mandateId],
  });
  return view!;
}

/** The signed form's bytes, opened from the sealed copy; each download is journaled. */
export async function readMandateDocument(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  personId: string,
  mandateId: string,
  audit: AuditContext,
) {
  const access = peopleAccess(actor, territoryId);
  authorize(actor, 'mandates.read', { territoryId });
  return ctx.db.transaction(async (tx) => {
    await findVisible(tx, access, personId);
    const m = await mandateOf(tx, territoryId, personId, mandateId);
    const [doc] = await tx
      .select()
      .from(mandateDocuments)
      .where(and(eq(mandateDocuments.mandateId, m.id), eq(mandateDocuments.territoryId, territoryId)))
      .orderBy(desc(mandateDocuments.createdAt))
      .limit(1);
    if (!doc || m.documentExpiredAt) throw notFound('Le formulaire signé');
    await recordAudit(tx, audit, {
      type: 'mandate.document_read',
      territoryId,
      targetType: 'person',
      targetId: personId,
      data: { mandateId, documentId: doc.id },
    });
    return { fileName: doc.fileName, contentType: doc.contentType, content: Buffer.from(ctx.secretBox.open(doc.contentSealed), 'base64') };
  });
}
