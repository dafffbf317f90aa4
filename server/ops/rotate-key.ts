import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { nirHashWithKey } from '../modules/people/identifiers.ts';
import { recordAudit } from '../platform/audit.ts';
import { createSecretBox, type SecretBox } from '../platform/crypto.ts';

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
  webhooks: ['secret_sealed'],
};

export type RotationReport = { rows: Record<string, number>; values: number; alreadyRotated: number };

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
): Promise<RotationReport> {
  if (oldKey.equals(newKey)) throw new KeyRotationError('La nouvelle clé est identique à l’ancienne.');
  const oldBox = createSecretBox(oldKey);
  const newBox = createSecretBox(newKey);
  const report: RotationReport = { rows: {}, values: 0, alreadyRotated: 0 };
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
          sql`SELECT "id"::text AS id, ${cols} FROM ${sql.identifier(table)} WHERE "id" > ${after}::uuid AND (${any}) ORDER BY "id" LIMIT ${BATCH} FOR UPDATE`,
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
  await db.transaction((tx) =>
    recordAudit(
      tx,
      {},
      { type: 'security.key_rotated', data: { rows: report.rows, values: report.values, alreadyRotated: report.alreadyRotated } },
    ),
  );
  return report;
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
