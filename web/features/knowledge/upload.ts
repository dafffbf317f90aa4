import type { ImportReport } from '../../../contracts/knowledge.ts';
import { ApiError, getCsrfToken, signalUnauthenticated } from '../../api/client.ts';
import { knowledgePath } from './queries.ts';

/** The Content-Type of an import: a zip of Markdown sheets, or one Markdown sheet. */
export const importContentType = (file: File) =>
  /\.zip$/i.test(file.name) || file.type.includes('zip') ? 'application/zip' : 'text/markdown';

/**
 * Sends a zip or Markdown file to the import (raw bytes, with its Content-Type), as an essay
 * (`dryRun`) or for real. A file refused as a whole (422 KNOWLEDGE_IMPORT_INVALID) comes back
 * as an ApiError whose extensions carry the `report`.
 */
export async function importSheets(territoryId: string, file: File, dryRun: boolean): Promise<ImportReport> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': importContentType(file) };
  const csrf = getCsrfToken();
  if (csrf) headers['x-csrf-token'] = csrf;
  let res: Response;
  try {
    res = await fetch(`${knowledgePath(territoryId)}/import?dryRun=${dryRun}`, {
      method: 'POST',
      headers,
      credentials: 'same-origin',
      body: file,
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', 'Le serveur ne répond pas. Vérifiez votre connexion puis réessayez.');
  }
  if (res.ok) return (await res.json()) as ImportReport;
  if (res.status === 401) signalUnauthenticated();
  const body = (await res.json().catch(() => null)) as (Record<string, unknown> & { code?: string; detail?: string; errors?: [] }) | null;
  if (body?.code) throw new ApiError(res.status, body.code, body.detail ?? 'Une erreur est survenue.', body.errors ?? [], body);
  if (res.status === 413) throw new ApiError(413, 'PAYLOAD_TOO_LARGE', 'Ce fichier est trop volumineux.');
  throw new ApiError(res.status, 'HTTP_ERROR', `Le serveur a répondu une erreur (${res.status}). Réessayez plus tard.`);
}

/** The report a refused import carries (422 KNOWLEDGE_IMPORT_INVALID), if any. */
export const reportOf = (error: unknown): ImportReport | null =>
  error instanceof ApiError && error.extensions.report && typeof error.extensions.report === 'object'
    ? (error.extensions.report as ImportReport)
    : null;
