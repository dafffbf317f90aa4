import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { KeyRotationError, rotateSecretKey } from './rotate-key.ts';

function decodeKey(value: string, name: string): Buffer {
  const key = Buffer.from(value.trim(), 'base64');
  if (key.length !== 32) throw new KeyRotationError(`${name} : 32 octets en base64 attendus (openssl rand -base64 32).`);
  return key;
}

/**
 * `npm run cli -- rotate-key`: the old key is the configured one. With PostgreSQL (or SECRET_KEY
 * set) the new key comes from NEW_SECRET_KEY and the operator swaps SECRET_KEY afterwards. In
 * embedded mode the new key (NEW_SECRET_KEY, or generated into DATA_DIR/secret.key.next first so
 * that an interrupted run resumes with the same key) then replaces secret.key, the old one kept beside it.
 */
export async function rotateKeyCommand(config: Config): Promise<number> {
  const embeddedFile = config.database.kind === 'pglite' && !process.env.SECRET_KEY ? join(config.dataDir, 'secret.key') : null;
  const nextFile = embeddedFile && `${embeddedFile}.next`;
  let newKey: Buffer;
  if (process.env.NEW_SECRET_KEY) newKey = decodeKey(process.env.NEW_SECRET_KEY, 'NEW_SECRET_KEY');
  else if (nextFile) {
    if (!existsSync(nextFile)) writeFileSync(nextFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    newKey = decodeKey(readFileSync(nextFile, 'utf8'), nextFile);
  } else {
    throw new KeyRotationError('Donnez la nouvelle clé dans NEW_SECRET_KEY (openssl rand -base64 32), SECRET_KEY restant l’ancienne.');
  }
  const database = await openDatabase(config.database);
  try {
    const report = await rotateSecretKey(
      database.db,
      config.secretKey,
      newKey,
      (table, rows) => process.stdout.write(`\r${table} : ${rows} ligne(s)    `),
      config.files,
    );
    process.stdout.write('\n');
    console.log(`${report.values} valeur(s) rechiffrée(s)${report.alreadyRotated ? `, ${report.alreadyRotated} déjà rechiffrée(s)` : ''}.`);
    const { files } = report;
    console.log(
      `${files.rotated} pièce(s) jointe(s) rechiffrée(s)${files.alreadyRotated ? `, ${files.alreadyRotated} déjà rechiffrée(s)` : ''}` +
        `${files.missing ? `, ${files.missing} absente(s) du stockage` : ''}.`,
    );
  } finally {
    await database.close();
  }
  if (embeddedFile && nextFile) {
    const previous = `${embeddedFile}.previous-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(embeddedFile, previous);
    if (existsSync(nextFile)) renameSync(nextFile, embeddedFile);
    else writeFileSync(embeddedFile, `${newKey.toString('base64')}\n`, { mode: 0o600 });
    chmodSync(embeddedFile, 0o600);
    console.log(`Nouvelle clé dans ${embeddedFile} ; l’ancienne est gardée dans ${previous} (à détruire après vérification).`);
  } else {
    console.log('Remplacez maintenant SECRET_KEY par la nouvelle clé, puis redémarrez Relais.');
  }
  return 0;
}
