/**
 * CSV as spreadsheets read it (RFC 4180): one row per line ending in CRLF, a cell quoted when it
 * holds a comma, a quote, CR or LF, quotes doubled inside.
 *
 * Exports hold what customers typed (comments, ticket refs, emails). A spreadsheet that opens a
 * cell starting with `=`, `+`, `-`, `@`, tab or CR runs it as a formula (CSV injection, OWASP): such
 * a cell is written with a leading apostrophe, which spreadsheets show as text and do not evaluate.
 * Numbers are written as numbers (a negative number is data, not a formula).
 */

/** The characters that make a spreadsheet read a text cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: null and undefined are empty, numbers as they are, text neutralised and quoted as needed. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row, CRLF-terminated. */
export function csvRow(cells: readonly (string | number | boolean | null | undefined)[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}

/**
 * The byte-order mark that makes Excel read a CSV file as UTF-8 (without it, accented names and
 * emoji in comments come out garbled); other readers skip it.
 */
export const CSV_BOM = '\uFEFF';
