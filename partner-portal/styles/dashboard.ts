/**
 * The dashboard rules of the portal's stylesheet: the money cards first, the range picker (preset links and a
 * custom GET form), and each figure's change, which says up or down in words and an arrow, not by colour alone.
 */
export const dashboardCss = `
.money .net { font-size: 1.3rem; font-weight: 600; margin: 4px 0 0; }
.money .net.owe { color: var(--bad); } .money .net.owed { color: var(--ok); }
.card dd.small, .card .small { font-size: 14px; font-weight: 400; margin-top: 4px; }
.card dd.change { font-size: 14px; font-weight: 400; margin-top: 4px; color: var(--muted); }
.card dd.change.up, .card dd.change.new { color: var(--ok); } .card dd.change.down { color: var(--bad); }
.range .presets { list-style: none; display: flex; flex-wrap: wrap; gap: 8px; margin: 0 0 12px; padding: 0; }
.range .presets a { display: inline-flex; align-items: center; min-height: 44px; padding: 8px 14px; border-radius: 6px; border: 1px solid #98a2b3; background: #fff; color: var(--ink); text-decoration: none; }
.range .presets a[aria-current="true"] { background: var(--brand); border-color: var(--brand); color: #fff; font-weight: 600; }
.range fieldset { border: 1px solid var(--line); border-radius: 8px; background: #fff; margin: 0 0 12px; padding: 12px 16px 16px; }
.range legend { font-weight: 600; padding: 0 4px; }
.range .fields { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.range .fields > button { align-self: flex-end; }
.range input[aria-invalid="true"] { border: 2px solid var(--bad); }
.range .field-error { color: var(--bad); font-weight: 400; font-size: 14px; max-width: 18rem; }
.range .alert p { margin: 0; }
.range .alert ul { margin: 4px 0 0; padding-left: 20px; }
.range .alert a { color: var(--bad); }
.range .showing { color: var(--muted); }
@media (max-width: 600px) {
  .range .fields { display: grid; }
  .range .fields > button { align-self: stretch; }
  .range .field-error { max-width: none; }
}
`;
