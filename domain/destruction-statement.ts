// The destruction statement's rows, as the e-mail and the back office's CSV show them: local
// dates on each procedure's clock, the early destruction and its reason. Not for workflow code
// (csv-stringify); the log itself is in ./destruction.ts.
import { excelCsv } from './excel-csv';
import { destructionColumns, type DestructionEntry } from './destruction';
import { localDateOf } from './local-date';

export type DestructionRow = Record<(typeof destructionColumns)[number]['key'], string>;

/** The rows of a month's statement, by destroy date and reference. */
export function destructionRows(entries: readonly DestructionEntry[], timezoneOf: (procedure: string) => string): DestructionRow[] {
  return [...entries]
    .sort((a, b) => a.destroyOn.localeCompare(b.destroyOn) || a.reference.localeCompare(b.reference))
    .map((entry) => {
      const local = (instant?: string) => (instant ? localDateOf(new Date(instant), timezoneOf(entry.procedure)) : '');
      return {
        reference: entry.reference,
        procedure: entry.procedure,
        received: local(entry.receivedAt),
        closed: local(entry.closedAt),
        destroyOn: entry.destroyOn,
        early: entry.early ? 'ja' : 'nee',
        reason: entry.early?.reason ?? '',
      };
    });
}

/** The statement as CSV, in the register's dialect (semicolons, BOM, CRLF, formulas neutralised) so Excel opens it as it does the register. */
export function destructionCsv(rows: readonly DestructionRow[]): string {
  const columns = destructionColumns.map(({ key, header }) => ({ key, header }));
  return excelCsv(rows, { header: true, columns });
}
