import type { ImportIssue } from '../../../../contracts/imports.ts';
import { ImportFileError, type ImportRecord } from './records.ts';

/** Import of a data·inclusion export ({ structures, services }): see export/data-inclusion.schema.ts. */
export function parseDataInclusion(_text: string): { records: ImportRecord[]; issues: ImportIssue[] } {
  throw new ImportFileError('Le format data·inclusion n’est pas encore pris en charge.');
}
