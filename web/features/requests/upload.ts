import type { AttachmentView } from '../../../contracts/requests.ts';
import { ApiError, getCsrfToken, signalUnauthenticated } from '../../api/client.ts';
import { requestPath } from './queries.ts';

/**
 * Sends one file to a request (raw bytes, its name in X-File-Name) and reports the progress; fetch
 * has no upload progress, hence XMLHttpRequest. Refusals (too large, type refused) come back as
 * problem+json with a French message, thrown as ApiError like every other API call.
 */
export function uploadAttachment(
  territoryId: string,
  requestId: string,
  file: File,
  onProgress: (fraction: number) => void,
  options: { messageId?: string } = {},
): Promise<AttachmentView> {
  const query = options.messageId ? `?messageId=${encodeURIComponent(options.messageId)}` : '';
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${requestPath(territoryId, requestId)}/attachments${query}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('x-file-name', encodeURIComponent(file.name));
    const csrf = getCsrfToken();
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK_ERROR', 'Le serveur ne répond pas. Vérifiez votre connexion puis réessayez.'));
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(JSON.parse(xhr.responseText) as AttachmentView);
        return;
      }
      if (xhr.status === 401) signalUnauthenticated();
      reject(problemOf(xhr));
    };
    xhr.send(file);
  });
}

function problemOf(xhr: XMLHttpRequest): ApiError {
  try {
    const body = JSON.parse(xhr.responseText) as { code?: string; detail?: string };
    if (body.code) return new ApiError(xhr.status, body.code, body.detail ?? 'Une erreur est survenue.');
  } catch {
    // not problem+json: a proxy's page
  }
  if (xhr.status === 413) return new ApiError(413, 'ATTACHMENT_TOO_LARGE', 'Ce fichier est trop volumineux.');
  return new ApiError(xhr.status, 'HTTP_ERROR', `Le serveur a répondu une erreur (${xhr.status}). Réessayez plus tard.`);
}

/** « 1,2 Mo », « 340 ko ». */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} o`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} ko`;
  return `${(bytes / (1024 * 1024)).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
}
