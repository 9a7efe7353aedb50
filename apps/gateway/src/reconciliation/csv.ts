/**
 * CSV (RFC 4180) for the report download. Cells that a spreadsheet would run as a formula (=, +,
 * -, @ first) get a leading apostrophe unless they are plain numbers: references come from Netzme
 * and merchants' order ids, and a report must never execute anything when opened.
 */
const NUMBER = /^-?\d+(\.\d+)?$/;

export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && !NUMBER.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: Array<string | number | boolean | null | undefined>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
