/**
 * Cells a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage return first) get a
 * leading apostrophe, so a partner, program or member named `=HYPERLINK(...)` shows as text (OWASP CSV
 * injection). A plain decimal number (`-9.90`) is left alone: it cannot be a formula, and it must stay a number
 * to sum. Every CSV the gateway writes passes its cells through this.
 */
export function neutralise(cell: string): string {
  if (/^-?\d+(\.\d+)?$/.test(cell)) return cell;
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
