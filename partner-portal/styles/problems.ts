/**
 * The problems rules of the portal's stylesheet: the error summary, fields at fault (a bar beside the field, a
 * thicker border and a bold message: never colour alone) and the error pages.
 */
export const problemsCss = `
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.error-summary { border: 4px solid var(--bad); background: #fff; padding: 12px 16px; margin-bottom: 16px; border-radius: 6px; max-width: 640px; }
.error-summary:focus { outline: 3px solid #ffbf47; outline-offset: 2px; }
.error-summary h2 { font-size: 1.15rem; margin: 0 0 8px; }
.error-summary ul { margin: 0; padding-left: 20px; }
.error-summary li + li { margin-top: 4px; }
.error-summary a { color: var(--bad); font-weight: 700; }
.field { display: grid; gap: 4px; }
.field .hint { margin: 0; color: var(--muted); font-size: 14px; }
.field.invalid { border-left: 5px solid var(--bad); padding-left: 12px; }
.field.invalid input, .field.invalid select, .field.invalid textarea { border: 3px solid var(--bad); }
.field-error { margin: 0; color: var(--bad); font-weight: 700; }
.problem-page { max-width: 640px; }
.problem-page .lead { font-size: 1.1rem; }
.problem-page .next { display: flex; flex-wrap: wrap; gap: 8px 16px; padding: 0; list-style: none; }
.problem-page .next a { display: inline-block; padding: 10px 0; }
`;
