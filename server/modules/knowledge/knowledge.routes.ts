import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TerritoryParams } from '../../../contracts/common.ts';
import {
  CreateProposalBody,
  CreateSheetBody,
  DiffQuery,
  EditableOwners,
  ExportQuery,
  FeedbackBody,
  ImportQuery,
  ImportReport,
  PreviewBody,
  PreviewView,
  ProposalParams,
  ProposalsQuery,
  ProposalView,
  ReviewProposalBody,
  SheetDiff,
  SheetParams,
  SheetSearchQuery,
  SheetSearchResult,
  SheetVersionList,
  SheetView,
  SuggestionsQuery,
  SuggestionsResult,
  SynonymsBody,
  SynonymsView,
  UpdateSheetBody,
} from '../../../contracts/knowledge.ts';
import type { App } from '../../app.ts';
import type { AppContext } from '../../app-context.ts';
import { actorOf, auditContextOf } from '../../platform/auth.ts';
import { knowledgeAccess } from './access.ts';
import { exportSheets, importSheets } from './io.ts';
import { renderMarkdown } from './markdown.ts';
import { createProposal, getProposal, listProposals, reviewProposal } from './proposals.service.ts';
import {
  archiveSheet,
  createSheet,
  diffVersions,
  editableOwners,
  getSheet,
  listVersions,
  recordFeedback,
  searchSheets,
  suggestSheets,
  updateSheet,
  verifySheet,
} from './sheets.service.ts';
import { getSynonyms, putSynonyms } from './synonyms.service.ts';

const tags = ['fiches'];
const base = '/api/territories/:territoryId/knowledge';
const config = { auth: 'user' as const };
/** A zip of a few thousand sheets. */
export const KNOWLEDGE_IMPORT_MAX_BYTES = 20 * 1024 * 1024;

export function knowledgeRoutes(app: App, ctx: AppContext) {
  app.get(
    `${base}/sheets`,
    {
      config,
      schema: {
        tags,
        summary: 'Rechercher dans les fiches (texte intégral en français, fautes de frappe et synonymes tolérés)',
        params: TerritoryParams,
        querystring: SheetSearchQuery,
        response: { 200: SheetSearchResult },
      },
    },
    async (req) => searchSheets(ctx, actorOf(req), req.params.territoryId, req.query),
  );
  app.post(
    `${base}/sheets`,
    {
      config,
      schema: { tags, summary: 'Créer une fiche', params: TerritoryParams, body: CreateSheetBody, response: { 201: SheetView } },
    },
    async (req, reply) => reply.code(201).send(await createSheet(ctx, actorOf(req), req.params.territoryId, req.body, auditContextOf(req))),
  );
  app.get(
    `${base}/sheets/:sheetId`,
    { config, schema: { tags, summary: 'Lire une fiche', params: SheetParams, response: { 200: SheetView } } },
    async (req) => getSheet(ctx, actorOf(req), req.params.territoryId, req.params.sheetId),
  );
  app.put(
    `${base}/sheets/:sheetId`,
    {
      config,
      schema: {
        tags,
        summary: 'Enregistrer une nouvelle version d’une fiche (409 SHEET_VERSION_CONFLICT si elle a changé depuis baseVersion)',
        params: SheetParams,
        body: UpdateSheetBody,
        response: { 200: SheetView },
      },
    },
    async (req) => updateSheet(ctx, actorOf(req), req.params.territoryId, req.params.sheetId, req.body, auditContextOf(req)),
  );
  app.post(
    `${base}/sheets/:sheetId/verify`,
    {
      config,
      schema: { tags, summary: 'Marquer une fiche comme vérifiée aujourd’hui', params: SheetParams, response: { 200: SheetView } },
    },
    async (req) => verifySheet(ctx, actorOf(req), req.params.territoryId, req.params.sheetId, auditContextOf(req)),
  );
  app.post(
    `${base}/sheets/:sheetId/archive`,
    { config, schema: { tags, summary: 'Archiver une fiche', params: SheetParams, response: { 200: SheetView } } },
    async (req) => archiveSheet(ctx, actorOf(req), req.params.territoryId, req.params.sheetId, auditContextOf(req)),
  );
  app.post(
    `${base}/sheets/:sheetId/feedback`,
    {
      config,
      schema: {
        tags,
        summary: '« Cette fiche a-t-elle répondu ? » (la dernière réponse compte)',
        params: SheetParams,
        body: FeedbackBody,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await recordFeedback(ctx, actorOf(req), req.params.territoryId, req.params.sheetId, req.body);
      return reply.code(204).send(null);
    },
  );
  app.get(
    `${base}/sheets/:sheetId/versions`,
    { config, schema: { tags, summary: 'Historique des versions', params: SheetParams, response: { 200: SheetVersionList } } },
    async (req) => listVersions(ctx, actorOf(req), req.params.territoryId, req.params.sheetId),
  );
  app.get(
    `${base}/sheets/:sheetId/diff`,
    {
      config,
      schema: {
        tags,
        summary: 'Différences entre deux versions',
        params: SheetParams,
        querystring: DiffQuery,
        response: { 200: SheetDiff },
      },
    },
    async (req) => diffVersions(ctx, actorOf(req), req.params.territoryId, req.params.sheetId, req.query.from, req.query.to),
  );
  app.post(
    `${base}/sheets/:sheetId/proposals`,
    {
      config,
      schema: {
        tags,
        summary: 'Proposer une modification au propriétaire de la fiche',
        params: SheetParams,
        body: CreateProposalBody,
        response: { 201: ProposalView },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await createProposal(ctx, actorOf(req), req.params.territoryId, req.params.sheetId, req.body)),
  );
  app.get(
    `${base}/proposals`,
    {
      config,
      schema: {
        tags,
        summary: 'Propositions à examiner (et les miennes)',
        params: TerritoryParams,
        querystring: ProposalsQuery,
        response: { 200: z.array(ProposalView) },
      },
    },
    async (req) => listProposals(ctx, actorOf(req), req.params.territoryId, req.query.status),
  );
  app.get(
    `${base}/proposals/:proposalId`,
    { config, schema: { tags, summary: 'Une proposition', params: ProposalParams, response: { 200: ProposalView } } },
    async (req) => getProposal(ctx, actorOf(req), req.params.territoryId, req.params.proposalId),
  );
  for (const decision of ['accept', 'reject'] as const)
    app.post(
      `${base}/proposals/:proposalId/${decision}`,
      {
        config,
        schema: {
          tags,
          summary: decision === 'accept' ? 'Accepter une proposition (nouvelle version)' : 'Refuser une proposition',
          params: ProposalParams,
          body: ReviewProposalBody,
          response: { 200: ProposalView },
        },
      },
      async (req) =>
        reviewProposal(ctx, actorOf(req), req.params.territoryId, req.params.proposalId, decision, req.body.comment, auditContextOf(req)),
    );
  app.get(
    `${base}/suggestions`,
    {
      config,
      schema: {
        tags,
        summary: 'Fiches utiles pour le passage ou la saisine en cours (partenaire, thèmes, mots saisis)',
        params: TerritoryParams,
        querystring: SuggestionsQuery,
        response: { 200: SuggestionsResult },
      },
    },
    async (req) => suggestSheets(ctx, actorOf(req), req.params.territoryId, req.query),
  );
  app.post(
    `${base}/preview`,
    {
      config,
      schema: { tags, summary: 'Aperçu d’un texte Markdown', params: TerritoryParams, body: PreviewBody, response: { 200: PreviewView } },
    },
    async (req) => {
      knowledgeAccess(actorOf(req), req.params.territoryId);
      return { html: renderMarkdown(req.body.markdown) };
    },
  );
  app.get(
    `${base}/owners`,
    {
      config,
      schema: { tags, summary: 'Pour qui je peux écrire des fiches', params: TerritoryParams, response: { 200: EditableOwners } },
    },
    async (req) => editableOwners(ctx, actorOf(req), req.params.territoryId),
  );
  app.get(
    `${base}/export`,
    {
      config,
      schema: {
        tags,
        summary: 'Exporter les fiches en fichiers Markdown (archive zip)',
        params: TerritoryParams,
        querystring: ExportQuery,
        produces: ['application/zip'],
      },
    },
    async (req, reply) => {
      const { zip } = await exportSheets(ctx, actorOf(req), req.params.territoryId, req.query.organisationId);
      reply.header('content-type', 'application/zip');
      reply.header('content-disposition', 'attachment; filename="fiches-relais.zip"');
      return reply.send(zip);
    },
  );
  app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser(
      ['application/zip', 'application/x-zip-compressed', 'text/markdown'],
      { parseAs: 'buffer', bodyLimit: KNOWLEDGE_IMPORT_MAX_BYTES },
      (_req, body, done) => done(null, body),
    );
    scope.post(
      `${base}/import`,
      {
        config,
        bodyLimit: KNOWLEDGE_IMPORT_MAX_BYTES,
        schema: {
          tags,
          summary: 'Importer des fiches : une archive zip de fichiers Markdown, ou un fichier Markdown (coordination)',
          description:
            'Avec `dryRun=true`, rien n’est écrit : le rapport dit ce qui serait créé ou modifié. Si un fichier est refusé, rien n’est importé (422 KNOWLEDGE_IMPORT_INVALID, rapport dans `report`).',
          params: TerritoryParams,
          querystring: ImportQuery,
          response: { 200: ImportReport },
        },
      },
      async (req) =>
        importSheets(
          ctx,
          actorOf(req),
          req.params.territoryId,
          Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
          String(req.headers['content-type'] ?? ''),
          req.query.dryRun === 'true',
          auditContextOf(req),
        ),
    );
  });
  app.get(
    `${base}/synonyms`,
    { config, schema: { tags, summary: 'Synonymes de recherche', params: TerritoryParams, response: { 200: SynonymsView } } },
    async (req) => getSynonyms(ctx, actorOf(req), req.params.territoryId),
  );
  app.put(
    `${base}/synonyms`,
    {
      config,
      schema: {
        tags,
        summary: 'Remplacer les synonymes propres au territoire (coordination)',
        params: TerritoryParams,
        body: SynonymsBody,
        response: { 200: SynonymsView },
      },
    },
    async (req) => putSynonyms(ctx, actorOf(req), req.params.territoryId, req.body.groups, auditContextOf(req)),
  );
}
