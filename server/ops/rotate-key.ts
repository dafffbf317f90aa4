import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { nirHashWithKey } from '../modules/people/identifiers.ts';
import { statusCodeHash } from '../modules/requests/codes.ts';
import { recordAudit } from '../platform/audit.ts';
import { createSecretBox, type SecretBox } from '../platform/crypto.ts';
import { AppError } from '../platform/errors.ts';
import { type FileStorageConfig, reencryptStoredFile } from '../platform/files/store.ts';

/**
 * Every column sealed with the secret key (SecretBox), by table. A new sealed column must be
 * listed here, or rotating the key leaves it unreadable: the key rotation test checks the schema
 * for `*_sealed` columns that this list misses.
 */
export const sealedColumns: Record<string, string[]> = {
  people: ['nir_sealed', 'caf_number_sealed', 'tax_number_sealed', 'france_travail_id_sealed'],
  sms_messages: ['to_sealed'],
  mandate_documents: ['content_sealed'],
  sessions: ['oidc_id_token'],
  requests: ['identifiers_sealed', 'status_code_sealed'],
  webhooks: ['secret_sealed'],
};

export type RotationReport = {
  rows: Record<string, number>;
  values: number;
  alreadyRotated: number;
  /** Attachment files re-encrypted, already re-encrypted by an earlier run, or absent from the store. */
  files: { rotated: number; alreadyRotated: number; missing: number };
};

export class KeyRotationError extends Error {}

const BATCH = 200;

/**
 * Re-seals every sealed value from the old key to the new one and recomputes the NIR blind index,
 * in batches of rows, each in its own transaction. A value that only the new key opens was
 * rotated by an earlier, interrupted run and is left as it is, so the command can be run again
 * until it completes; a value that neither key opens stops the run (wrong old key) before the
 * batch is written.
 */
export async function rotateSecretKey(
  db: Database['db'],
  oldKey: Buffer,
  newKey: Buffer,
  onProgress: (table: string, rows: number) => void = () => {},
  /** Where attachment files are (ADR 12): they are encrypted under a key derived from the secret key too. */
  files?: { fileStorage: FileStorageConfig },
): Promise<RotationReport> {
  if (oldKey.equals(newKey)) throw new KeyRotationError('La nouvelle clé est identique à l’ancienne.');
  const oldBox = createSecretBox(oldKey);
  const newBox = createSecretBox(newKey);
  const report: RotationReport = { rows: {}, values: 0, alreadyRotated: 0, files: { rotated: 0, alreadyRotated: 0, missing: 0 } };
  for (const [table, columns] of Object.entries(sealedColumns)) {
    report.rows[table] = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const done = await db.transaction(async (tx) => {
        const cols = sql.join(
          columns.map((c) => sql.identifier(c)),
          sql`, `,
        );
        const any = sql.join(
          columns.map((c) => sql`${sql.identifier(c)} IS NOT NULL`),
          sql` OR `,
        );
        const { rows } = await tx.execute<Record<string, string | null>>(
          sql`SELECT "id"::text AS id, ${cols}${table === 'requests' ? sql`, "reference"` : sql``} FROM ${sql.identifier(table)} WHERE "id" > ${after}::uuid AND (${any}) ORDER BY "id" LIMIT ${BATCH} FOR UPDATE`,
        );
        for (const row of rows) {
          const set: SQL[] = [];
          for (const column of columns) {
            const sealed = row[column];
            if (!sealed) continue;
            const plain = reopen(oldBox, newBox, sealed, `${table}.${column}`);
            if (plain === null) {
              report.alreadyRotated++;
              continue;
            }
            set.push(sql`${sql.identifier(column)} = ${newBox.seal(plain)}`);
            if (table === 'people' && column === 'nir_sealed') set.push(sql`"nir_hash" = ${nirHashWithKey(newKey, plain)}`);
            if (table === 'requests' && column === 'status_code_sealed')
              set.push(sql`"status_code_hash" = ${statusCodeHash(newKey, row.reference as string, plain)}`);
            report.values++;
          }
          if (set.length) {
            await tx.execute(sql`UPDATE ${sql.identifier(table)} SET ${sql.join(set, sql`, `)} WHERE "id" = ${row.id}::uuid`);
          }
        }
        report.rows[table]! += rows.length;
        if (rows.length) after = rows[rows.length - 1]!.id!;
        return rows.length < BATCH;
      });
      onProgress(table, report.rows[table]!);
      if (done) break;
    }
  }
  if (files) await rotateFiles(db, oldKey, newKey, files, report, onProgress);
  await db.transaction((tx) =>
    recordAudit(
      tx,
      {},
      {
        type: 'security.key_rotated',
        data: { rows: report.rows, values: report.values, alreadyRotated: report.alreadyRotated, files: report.files },
      },
    ),
  );
  return report;
}

/** Re-encrypts every attachment file still kept, in the order of its row (files are not in the database's transactions). */
async function rotateFiles(
  db: Database['db'],
  oldKey: Buffer,
  newKey: Buffer,
  files: { fileStorage: FileStorageConfig },
  report: RotationReport,
  onProgress: (table: string, rows: number) => void,
) {
  let after = '00000000-0000-0000-0000-000000000000';
  let count = 0;
  for (;;) {
    const { rows } = await db.execute<{ id: string; storage_key: string }>(
      sql`SELECT "id"::text AS id, "storage_key" FROM "request_attachments" WHERE "id" > ${after}::uuid AND "deleted_at" IS NULL ORDER BY "id" LIMIT ${BATCH}`,
    );
    for (const row of rows) {
      try {
        const outcome = await reencryptStoredFile(files, oldKey, newKey, row.storage_key);
        report.files[outcome === 'rotated' ? 'rotated' : 'alreadyRotated']++;
      } catch (error) {
        if (error instanceof AppError && error.code === 'ATTACHMENT_MISSING') report.files.missing++;
        else if (error instanceof AppError && error.code === 'ATTACHMENT_UNREADABLE') {
          throw new KeyRotationError(
            `request_attachments ${row.id} : le fichier ne s’ouvre ni avec l’ancienne clé ni avec la nouvelle (ancienne clé erronée ?). Les fichiers suivants n’ont pas été rechiffrés.`,
          );
        } else throw error;
      }
    }
    count += rows.length;
    onProgress('request_attachments (fichiers)', count);
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]!.id;
  }
}

/** The clear value under the old key; null when the new key already opens it; an error when neither does. */
function reopen(oldBox: SecretBox, newBox: SecretBox, sealed: string, where: string): string | null {
  try {
    return oldBox.open(sealed);
  } catch {
    try {
      newBox.open(sealed);
      return null;
    } catch {
      throw new KeyRotationError(
        `${where} : une valeur ne s’ouvre ni avec l’ancienne clé ni avec la nouvelle (ancienne clé erronée ?). Rien n’a été écrit pour ce lot.`,
      );
    }
  }
}
