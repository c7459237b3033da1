// The one CSV dialect klachtflow writes, the one Excel opens on a Dutch machine: UTF-8 with a
// byte-order mark (so é and ë survive), semicolons (the Dutch list separator), CRLF, and a cell
// Excel would run as a formula (=, +, -, @, tab, carriage return at its start) written as text.
import { type Options, stringify } from 'csv-stringify/sync';

export function excelCsv(records: readonly unknown[], options: Pick<Options, 'header' | 'columns'> = {}): string {
  return stringify(records as unknown[], { ...options, delimiter: ';', bom: true, record_delimiter: 'windows', escape_formulas: true });
}
