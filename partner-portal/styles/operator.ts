/**
 * The operator rules of the portal's stylesheet: review cards (facts as a grid of label and value, the member's
 * history, the decision form), the close form's preset and its error, the preview's confirmation.
 */
export const operatorCss = `
.review { margin-bottom: 16px; }
.review h3 { margin: 0 0 8px; font-size: 1.15rem; }
.review h4 { margin: 12px 0 8px; font-size: 1rem; }
.review .facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 8px 16px; margin: 0 0 8px; }
.review .facts dt { color: var(--muted); font-size: 14px; }
.review .facts dd { margin: 2px 0 0; display: grid; gap: 2px; font-size: 1rem; font-weight: 400; }
.review .small { font-size: 14px; }
.review .decide { display: grid; gap: 8px; max-width: 520px; margin-top: 12px; }
.review .decide .actions { margin: 0; }
.alert .detail { display: block; margin-top: 4px; color: var(--ink); }
.close-period .preset { display: inline-flex; align-items: center; min-height: 44px; padding: 8px 14px; margin-bottom: 12px; border: 1px solid #98a2b3; border-radius: 6px; background: #fff; color: var(--ink); text-decoration: none; }
.close-period .field-error { color: var(--bad); font-weight: 600; }
.close-period input[aria-invalid="true"] { border: 2px solid var(--bad); }
a.button.secondary { background: #fff; color: var(--ink); border: 1px solid #98a2b3; display: inline-flex; align-items: center; min-height: 44px; }
@media (max-width: 600px) {
  .review .facts { grid-template-columns: 1fr; }
  .review .decide .actions button { flex: 1 1 auto; }
}
`;
