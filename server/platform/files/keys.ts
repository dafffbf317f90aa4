import { AppError } from '../errors.ts';

const KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Keys are lower-case UUIDs, so they can never name another folder or object. */
export function assertKey(key: string): void {
  if (typeof key !== 'string' || !KEY.test(key))
    throw new Error(`invalid file store key (a lower-case UUID is expected): ${JSON.stringify(key)}`);
}

export const attachmentMissing = () =>
  new AppError('ATTACHMENT_MISSING', 404, 'Le fichier de cette pièce jointe n’est plus disponible dans le stockage.');
