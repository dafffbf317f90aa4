import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../errors.ts';
import { assertKey, attachmentMissing } from './keys.ts';
import { createS3Store, type S3Settings } from './s3.ts';

/** Where attachment bytes live, encrypted; keys are UUIDs (the attachment's storage key). */
export interface FileStore {
  put(key: string, data: Buffer): Promise<void>;
  /** The clear bytes; 404 ATTACHMENT_MISSING if absent, 500 ATTACHMENT_UNREADABLE if tampered or under another key. */
  get(key: string): Promise<Buffer>;
  /** Removes the bytes; nothing happens if they are already gone. */
  delete(key: string): Promise<void>;
  /** For logs and `check-config`: where the files go, without secrets. */
  describe(): string;
}

export type FileStorageConfig = { kind: 'filesystem'; dir: string } | ({ kind: 's3' } & S3Settings);

/** A store for the configured storage (DATA_DIR/files, or S3), encrypting with a key derived from the secret key. */
export function createFileStore(config: { fileStorage: FileStorageConfig }, secretKey: Buffer): FileStore {
  const sealer = createFileSealer(secretKey);
  const storage = config.fileStorage;
  const raw = storage.kind === 's3' ? createS3Store(storage) : createFilesystemStore(storage.dir);
  return {
    async put(key, data) {
      assertKey(key);
      await raw.put(key, sealer.seal(key, data));
    },
    async get(key) {
      assertKey(key);
      return sealer.open(key, await raw.get(key));
    },
    async delete(key) {
      assertKey(key);
      await raw.delete(key);
    },
    describe: raw.describe,
  };
}

/**
 * For the secret key rotation (ADR 10): re-encrypts the file under `storageKey` from the old key
 * to the new one. 'already' when only the new key opens it (an interrupted run went past it); an
 * ATTACHMENT_UNREADABLE error when neither key does (wrong old key), nothing written then.
 */
export async function reencryptStoredFile(
  config: { fileStorage: FileStorageConfig },
  oldKey: Buffer,
  newKey: Buffer,
  storageKey: string,
): Promise<'rotated' | 'already'> {
  assertKey(storageKey);
  const storage = config.fileStorage;
  const raw = storage.kind === 's3' ? createS3Store(storage) : createFilesystemStore(storage.dir);
  const [oldSealer, newSealer] = [createFileSealer(oldKey), createFileSealer(newKey)];
  const sealed = await raw.get(storageKey);
  let plain: Buffer;
  try {
    plain = oldSealer.open(storageKey, sealed);
  } catch {
    newSealer.open(storageKey, sealed); // throws ATTACHMENT_UNREADABLE when neither key opens it
    return 'already';
  }
  await raw.put(storageKey, newSealer.seal(storageKey, plain));
  return 'rotated';
}

/** What a backend does: stores sealed bytes under a validated key. */
export type RawStore = FileStore;

const unreadable = () =>
  new AppError(
    'ATTACHMENT_UNREADABLE',
    500,
    'Le fichier de cette pièce jointe ne peut pas être déchiffré : il a été modifié, ou la clé secrète du serveur a changé. Prévenez l’administrateur.',
  );

const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with a key derived from the secret key (HKDF-SHA256, info `relais-files-v1`), so the
 * file key is not the key that seals identifiers. Format: version byte (1) ‖ nonce (12) ‖ ciphertext
 * ‖ tag (16). The storage key is the associated data: a file copied under another key does not open.
 */
export function createFileSealer(secretKey: Buffer) {
  if (secretKey.length !== 32) throw new Error('the secret key must be 32 bytes');
  const key = Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'relais-files-v1', 32));
  return {
    seal(storageKey: string, plain: Buffer): Buffer {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      cipher.setAAD(Buffer.from(storageKey, 'utf8'));
      return Buffer.concat([Buffer.of(VERSION), nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    },
    open(storageKey: string, sealed: Buffer): Buffer {
      if (sealed.length < 1 + NONCE_BYTES + TAG_BYTES || sealed[0] !== VERSION) throw unreadable();
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 1 + NONCE_BYTES));
      decipher.setAAD(Buffer.from(storageKey, 'utf8'));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(sealed.subarray(1 + NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
      } catch {
        throw unreadable();
      }
    },
  };
}

/**
 * Files under `<dir>/<first 2 characters of the key>/<key>`, mode 0600. A file is written beside
 * its final name, flushed, then renamed: a reader sees the whole file or none.
 */
export function createFilesystemStore(dir: string): RawStore {
  const pathOf = (key: string) => join(dir, key.slice(0, 2), key);
  return {
    async put(key, data) {
      assertKey(key);
      const folder = join(dir, key.slice(0, 2));
      await mkdir(folder, { recursive: true, mode: 0o700 });
      const temp = join(folder, `.${key}.${randomUUID()}.tmp`);
      try {
        const handle = await open(temp, 'wx', 0o600);
        try {
          await handle.writeFile(data);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temp, pathOf(key));
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },
    async get(key) {
      assertKey(key);
      try {
        return await readFile(pathOf(key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw attachmentMissing();
        throw error;
      }
    },
    async delete(key) {
      assertKey(key);
      await rm(pathOf(key), { force: true });
    },
    describe: () => `système de fichiers (${dir})`,
  };
}
