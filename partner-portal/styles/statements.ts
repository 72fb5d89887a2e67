/**
 * The statements rules of the portal's stylesheet: the "who pays whom" summary above the lines, the status
 * badges (text and border at least 4.5:1 on white), and the memo lines set apart.
 */
export const statementsCss = `
.statement-summary { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 0 0 16px; }
.statement-summary h2 { margin: 0 0 8px; font-size: 1.1rem; }
.statement-summary .balances { list-style: none; margin: 0; padding: 0; }
.statement-summary .balances li { padding: 6px 0; border-bottom: 1px solid var(--line); font-size: 1.05rem; }
.statement-summary .net { margin: 8px 0; font-size: 1.3rem; font-weight: 700; }
.statement-summary .due { display: flex; flex-wrap: wrap; gap: 8px 32px; margin: 8px 0; }
.statement-summary .due dt { color: var(--muted); font-size: 14px; }
.statement-summary .due dd { margin: 2px 0 0; font-weight: 600; }
.status { display: inline-block; padding: 2px 8px; border: 1px solid currentColor; border-radius: 999px; font-size: 14px; font-weight: 600; white-space: normal; }
.status-due { color: #8a4b00; background: #fff8eb; }
.status-overdue { color: var(--bad); background: #fef3f2; }
.status-none { color: var(--ok); background: #ecfdf3; }
.memo { margin-top: 24px; }
.memo .table-wrap { border-style: dashed; }
table.statements tbody th { font-weight: 600; }
`;
