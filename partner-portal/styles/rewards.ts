/**
 * The rewards rules of the portal's stylesheet: the pages' own navigation (catalogue, orders), each owned program's
 * section, a reward's fulfilment under its partner, the code pools' level badges (text at least 4.5:1 on their
 * tint, and a word, never colour alone), the import form and its problems by line, and the order cards with their
 * Fulfil and Cancel forms side by side on a desktop, stacked on a phone.
 */
export const rewardsCss = `
.rewards-nav { margin: -8px 0 16px; }
.rewards-nav a { display: inline-flex; align-items: center; min-height: 44px; }
.program-rewards { margin-bottom: 32px; }
.reward-fulfilment { display: block; font-size: 14px; color: var(--muted); }
.badge.stock-ok { color: #05603a; background: #ecfdf3; border-color: #05603a; }
.badge.stock-low { color: #93370d; background: #fffaeb; border-color: #93370d; }
.badge.stock-empty { color: #912018; background: #fef3f2; border-color: #912018; }
form.import textarea { font: 14px/1.4 ui-monospace, monospace; padding: 8px; border-radius: 6px; border: 1px solid #98a2b3; width: 100%; }
form.import > *, form.import .field > * { min-width: 0; max-width: 100%; }
form.import input[type="file"] { padding: 8px; background: #fff; }
form.import .hint { margin: 0; }
.import-errors { color: var(--bad); border: 1px solid var(--bad); background: #fef3f2; border-radius: 6px; padding: 12px; }
.import-errors p { margin: 0 0 8px; font-weight: 600; }
.import-errors ul { margin: 0; padding-left: 20px; color: var(--ink); }
.order { margin-bottom: 16px; }
.order h2 { margin: 0 0 8px; font-size: 1.15rem; }
.order .facts, main > .facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 8px 16px; margin: 0 0 12px; }
.order .facts dt, main > .facts dt { color: var(--muted); font-size: 14px; }
.order .facts dd, main > .facts dd { margin: 2px 0 0; font-size: 1rem; font-weight: 400; overflow-wrap: anywhere; }
.order .facts dd a { display: inline-flex; align-items: center; min-height: 44px; }
address { font-style: normal; }
.order-actions { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 12px 24px; align-items: end; }
.order-actions form { display: grid; gap: 8px; }
.order-actions .field { display: grid; gap: 4px; }
.order-outcome { margin-bottom: 16px; }
.order-outcome p { margin: 0 0 4px; }
@media (max-width: 600px) {
  /* An order's title holds its id, one long word: it breaks rather than widen the page. */
  h1 { overflow-wrap: anywhere; }
  .order-actions { grid-template-columns: 1fr; }
  .order-actions button { width: 100%; }
}
`;
