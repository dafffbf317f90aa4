import type { contactPoints } from '../network.schema.ts';

/** What an import writes on a contact point: the same shape whatever the file format. */
export type ImportedContactPoint = Pick<
  typeof contactPoints.$inferInsert,
  | 'name'
  | 'kind'
  | 'commune'
  | 'inseeCode'
  | 'matricule'
  | 'labelDate'
  | 'address'
  | 'addressComplement'
  | 'postcode'
  | 'latitude'
  | 'longitude'
  | 'phone'
  | 'email'
  | 'website'
  | 'managingBody'
  | 'managingBodyType'
  | 'openingHours'
  | 'hoursReview'
> & { source: 'anct' | 'data_inclusion'; description?: string | null };

/** One record of an import file, already checked: `values` is null when the row cannot be imported. */
export interface ImportRecord {
  /** Line of the file where the record starts (or its position in a JSON list). */
  line: number;
  /** The key of re-imports (the ANCT matricule). */
  key: string;
  /** The department the record belongs to, when the file says it. */
  department: string | null;
  values: ImportedContactPoint | null;
  hoursCells?: { converted: number; unconverted: number };
  /** Fields the file does not really say (a default for a new place): an existing place keeps its own. */
  keepExisting?: (keyof ImportedContactPoint)[];
}

/** The file itself cannot be read: answered as 400 IMPORT_FILE_INVALID, nothing written. */
export class ImportFileError extends Error {}
