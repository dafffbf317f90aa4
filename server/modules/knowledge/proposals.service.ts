import { and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { CreateProposalBody, ProposalStatus, ProposalView } from '../../../contracts/knowledge.ts';
import type { AppContext } from '../../app-context.ts';
import type { Executor } from '../../db/client.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { Actor } from '../../platform/authorize.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { memberships, users } from '../accounts/accounts.schema.ts';
import { notify } from '../notifications/notify.ts';
import { canWrite, checkWrite, type KnowledgeAccess, knowledgeAccess, managedOrganisationIds } from './access.ts';
import { kbProposals, kbSheets, kbSheetVersions } from './knowledge.schema.ts';
import { diffContents, lockSheet, readableSheet, writeVersion } from './sheets.service.ts';
import { organisationRefs, personRef, userNames } from './views.ts';

type ProposalRow = typeof kbProposals.$inferSelect;
const proposalNotFound = () => notFound('Cette proposition de modification');

/**
 * Who reviews a sheet's proposals: the owning partner's referents and managers; for the network's
 * sheets, or a partner with nobody on Relais yet, the territory's coordinators.
 */
export async function ownersOf(db: Executor, territoryId: string, organisationId: string | null): Promise<string[]> {
  const managed = organisationId ? await managedOrganisationIds(db, territoryId, [organisationId]) : new Set<string>();
  const byOrg = organisationId && managed.has(organisationId);
  const rows = await db
    .selectDistinct({ userId: memberships.userId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.territoryId, territoryId),
        byOrg
          ? and(inArray(memberships.role, ['referent', 'manager']), eq(memberships.organisationId, organisationId))
          : eq(memberships.role, 'coordinator'),
        sql`${users.status} <> 'deactivated'`,
      ),
    );
  return rows.map((r) => r.userId);
}

async function proposalViews(db: Executor, access: KnowledgeAccess, rows: ProposalRow[]): Promise<ProposalView[]> {
  if (!rows.length) return [];
  const sheets = await db
    .select()
    .from(kbSheets)
    .where(
      inArray(
        kbSheets.id,
        rows.map((r) => r.sheetId),
      ),
    );
  const sheetOf = new Map(sheets.map((s) => [s.id, s]));
  const bases = await db
    .select()
    .from(kbSheetVersions)
    .where(or(...rows.map((r) => and(eq(kbSheetVersions.sheetId, r.sheetId), eq(kbSheetVersions.version, r.baseVersion)))));
  const baseOf = new Map(bases.map((b) => [`${b.sheetId}:${b.version}`, b]));
  const [orgs, names] = await Promise.all([
    organisationRefs(
      db,
      sheets.map((s) => s.organisationId),
    ),
    userNames(
      db,
      rows.flatMap((r) => [r.authorId, r.reviewerId]),
    ),
  ]);
  const review = new Map<string | null, boolean>();
  for (const s of sheets) if (!review.has(s.organisationId)) review.set(s.organisationId, await canWrite(db, access, s.organisationId));
  return rows.map((r) => {
    const sheet = sheetOf.get(r.sheetId)!;
    const base = baseOf.get(`${r.sheetId}:${r.baseVersion}`)!;
    return {
      id: r.id,
      sheetId: r.sheetId,
      sheetTitle: sheet.title,
      organisation: sheet.organisationId ? (orgs.get(sheet.organisationId) ?? null) : null,
      baseVersion: r.baseVersion,
      currentVersion: sheet.version,
      status: r.status as ProposalStatus,
      comment: r.comment,
      author: personRef(r.authorId, names),
      createdAt: r.createdAt.toISOString(),
      reviewer: personRef(r.reviewerId, names),
      reviewComment: r.reviewComment,
      reviewedAt: r.reviewedAt?.toISOString() ?? null,
      changes: diffContents(base, { ...base, title: r.title, summary: r.summary, sections: r.sections }),
      can: { review: r.status === 'ouverte' && (review.get(sheet.organisationId) ?? false) },
    };
  });
}

export async function createProposal(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  sheetId: string,
  body: CreateProposalBody,
): Promise<ProposalView> {
  const access = knowledgeAccess(actor, territoryId);
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    const sheet = await readableSheet(tx, access, sheetId);
    if (sheet.status === 'archivee')
      throw new AppError('SHEET_ARCHIVED', 422, 'Cette fiche est archivée : elle ne reçoit plus de propositions.');
    if (body.baseVersion > sheet.version) throw new AppError('SHEET_VERSION_UNKNOWN', 422, 'Cette version de la fiche n’existe pas.');
    const [created] = await tx
      .insert(kbProposals)
      .values({
        territoryId,
        sheetId,
        baseVersion: body.baseVersion,
        title: body.title,
        summary: body.summary ?? '',
        sections: { audience: '', prepare: '', links: '', pitfalls: '', escalate: '', ...body.sections },
        comment: body.comment,
        authorId: access.user.userId,
        createdAt: now,
      })
      .returning();
    const owners = (await ownersOf(tx, territoryId, sheet.organisationId)).filter((u) => u !== access.user.userId);
    await notify(tx, ctx, {
      territoryId,
      userIds: owners,
      kind: 'knowledge.proposal',
      subject: 'Une modification de fiche vous est proposée',
      body: `Une proposition de modification de la fiche « ${sheet.title} » attend votre examen.`,
      link: '/fiches/propositions',
    });
    return created!;
  });
  const [view] = await proposalViews(ctx.db, access, [row]);
  return view!;
}

/** Proposals on the sheets the caller reviews, and the caller's own. */
export async function listProposals(ctx: AppContext, actor: Actor, territoryId: string, status: ProposalStatus) {
  const access = knowledgeAccess(actor, territoryId);
  const managed = access.coordinator ? await managedOrganisationIds(ctx.db, territoryId) : new Set<string>();
  const reviewable = access.coordinator
    ? sql`(${kbSheets.organisationId} IS NULL OR NOT (${kbSheets.organisationId} = ANY (${sql.param([...managed])}::uuid[])) OR ${kbSheets.organisationId} = ANY (${sql.param(access.ownOrganisationIds)}::uuid[]))`
    : access.ownOrganisationIds.length
      ? inArray(kbSheets.organisationId, access.ownOrganisationIds)
      : sql`false`;
  const rows = await ctx.db
    .select({ p: kbProposals })
    .from(kbProposals)
    .innerJoin(kbSheets, eq(kbSheets.id, kbProposals.sheetId))
    .where(
      and(
        eq(kbProposals.territoryId, territoryId),
        eq(kbProposals.status, status),
        or(reviewable, eq(kbProposals.authorId, access.user.userId)),
      ),
    )
    .orderBy(desc(kbProposals.createdAt))
    .limit(200);
  return proposalViews(
    ctx.db,
    access,
    rows.map((r) => r.p),
  );
}

async function visibleProposal(db: Executor, access: KnowledgeAccess, proposalId: string) {
  const [row] = await db
    .select()
    .from(kbProposals)
    .where(and(eq(kbProposals.id, proposalId), eq(kbProposals.territoryId, access.territoryId)));
  if (!row) throw proposalNotFound();
  const [sheet] = await db.select().from(kbSheets).where(eq(kbSheets.id, row.sheetId));
  if (row.authorId !== access.user.userId && !(await canWrite(db, access, sheet!.organisationId))) throw proposalNotFound();
  return row;
}

export async function getProposal(ctx: AppContext, actor: Actor, territoryId: string, proposalId: string) {
  const access = knowledgeAccess(actor, territoryId);
  const row = await visibleProposal(ctx.db, access, proposalId);
  const [view] = await proposalViews(ctx.db, access, [row]);
  return view!;
}

export async function reviewProposal(
  ctx: AppContext,
  actor: Actor,
  territoryId: string,
  proposalId: string,
  decision: 'accept' | 'reject',
  comment: string | undefined,
  audit: AuditContext,
) {
  const access = knowledgeAccess(actor, territoryId);
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    const proposal = await visibleProposal(tx, access, proposalId);
    const sheet = await lockSheet(tx, territoryId, proposal.sheetId);
    await checkWrite(tx, access, sheet.organisationId);
    const [locked] = await tx.select().from(kbProposals).where(eq(kbProposals.id, proposalId)).for('update');
    if (locked!.status !== 'ouverte')
      throw new AppError('PROPOSAL_ALREADY_REVIEWED', 409, 'Cette proposition a déjà été examinée.', undefined, {
        status: locked!.status,
      });
    let resultingVersion: number | null = null;
    if (decision === 'accept') {
      const status = sheet.status === 'archivee' ? 'brouillon' : sheet.status;
      const updated = await writeVersion(
        tx,
        sheet,
        { ...sheet, title: locked!.title, summary: locked!.summary, sections: locked!.sections },
        status,
        { userId: access.user.userId, note: comment?.trim() || 'Proposition de modification acceptée', proposalId },
        now,
      );
      resultingVersion = updated.version;
    }
    const [reviewed] = await tx
      .update(kbProposals)
      .set({
        status: decision === 'accept' ? 'acceptee' : 'refusee',
        reviewerId: access.user.userId,
        reviewComment: comment?.trim() || null,
        reviewedAt: now,
        resultingVersion,
      })
      .where(eq(kbProposals.id, proposalId))
      .returning();
    await recordAudit(tx, audit, {
      type: decision === 'accept' ? 'knowledge.proposal_accepted' : 'knowledge.proposal_rejected',
      territoryId,
      targetType: 'kb_sheet',
      targetId: sheet.id,
      data: { proposalId, version: resultingVersion },
    });
    if (locked!.authorId && locked!.authorId !== access.user.userId)
      await notify(tx, ctx, {
        territoryId,
        userIds: [locked!.authorId],
        kind: decision === 'accept' ? 'knowledge.proposal_accepted' : 'knowledge.proposal_rejected',
        subject:
          decision === 'accept' ? 'Votre proposition de modification a été acceptée' : 'Votre proposition de modification a été refusée',
        body: `Fiche « ${sheet.title} »${comment?.trim() ? ` : ${comment.trim()}` : '.'}`,
        link: `/fiches/${sheet.id}`,
      });
    return reviewed!;
  });
  const [view] = await proposalViews(ctx.db, access, [row]);
  return view!;
}
