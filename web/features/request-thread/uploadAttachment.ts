import type { AttachmentView } from '../../../contracts/requests.ts';
import { api } from '../../api/client.ts';

export const requestPath = (territoryId: string, requestId: string) => `/api/territories/${territoryId}/requests/${requestId}`;

/**
 * Uploads one file to a request (raw bytes, its name in X-File-Name); the returned id is then sent
 * with the message (attachmentIds). Errors are ApiErrors whose French detail is shown as is
 * (413 ATTACHMENT_TOO_LARGE, 415 ATTACHMENT_TYPE_REFUSED / ATTACHMENT_HEIC_REFUSED).
 */
export function uploadAttachment(
  territoryId: string,
  requestId: string,
  file: File,
  options: { messageId?: string; signal?: AbortSignal } = {},
): Promise<AttachmentView> {
  const query = options.messageId ? `?messageId=${encodeURIComponent(options.messageId)}` : '';
  return api.post<AttachmentView>(`${requestPath(territoryId, requestId)}/attachments${query}`, undefined, {
    raw: file,
    headers: { 'x-file-name': encodeURIComponent(file.name) },
    signal: options.signal,
  });
}

/** The download address of an attachment (Content-Disposition: attachment). */
export const attachmentHref = (territoryId: string, requestId: string, attachmentId: string) =>
  `${requestPath(territoryId, requestId)}/attachments/${attachmentId}`;
