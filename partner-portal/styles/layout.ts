/**
 * The layout rules of the portal's stylesheet: the header's menu, tables as stacked cards on a phone, and the
 * daily chart. The phone breakpoint is 600 px; the chart switches to its narrow drawing under 720 px, where the
 * wide one's labels would be drawn under 11 px.
 */
export const layoutCss = `
header { position: relative; }
header .menu > summary { list-style: none; cursor: pointer; display: inline-flex; align-items: center; gap: 8px; min-height: 44px; padding: 8px 14px; border: 1px solid #98a2b3; border-radius: 6px; background: #fff; font-weight: 600; }
header .menu > summary::-webkit-details-marker { display: none; }
header .menu > summary::after { content: "\\25BE" / ""; }
header .menu[open] > summary::after { content: "\\25B4" / ""; }
header .menu-body { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; }
header .sign-out { margin: 0; }
header .sign-out button { min-height: 36px; padding: 6px 10px; }
@media (min-width: 601px) {
  header .menu > summary { display: none; }
  header .menu::details-content { content-visibility: visible; }
  /* Narrower gaps and 15 px entries, so a partner admin's nine entries, the languages and sign-out fit one row at 1280 px. */
  header { column-gap: 8px; }
  header .menu-body { column-gap: 8px; }
  header nav ul { column-gap: 8px; font-size: 15px; }
}
@media (max-width: 600px) {
  header .menu-body { display: none; }
  header .menu[open] .menu-body { display: grid; gap: 12px; position: absolute; left: 0; right: 0; top: 100%; z-index: 5; padding: 12px 16px 16px; background: #fff; border-bottom: 1px solid var(--line); box-shadow: 0 8px 16px rgb(16 24 40 / 12%); }
  header .menu-body nav ul { display: grid; gap: 0; }
  header .menu-body nav a { display: flex; align-items: center; min-height: 44px; }
  header .menu-body .languages { flex-wrap: wrap; gap: 0 16px; font-size: 15px; border-top: 1px solid var(--line); padding-top: 4px; }
  header .sign-out button { width: 100%; min-height: 44px; }
}

.table-wrap:focus-visible { outline-offset: 0; }
tfoot tr:first-child > * { border-top: 2px solid var(--ink); }
tfoot th, tfoot td { font-weight: 700; }
@media (max-width: 600px) {
  .table-wrap { overflow: visible; border: 0; border-radius: 0; }
  .table-wrap table, .table-wrap tbody, .table-wrap tfoot, .table-wrap tr, .table-wrap th, .table-wrap td { display: block; }
  .table-wrap table { background: none; }
  .table-wrap thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  .table-wrap tr { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 4px 12px; margin-bottom: 8px; }
  .table-wrap th, .table-wrap td { border: 0; padding: 6px 0; text-align: left; overflow-wrap: anywhere; }
  .table-wrap tbody th { font-weight: 700; }
  .table-wrap td { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 2px 12px; text-align: right; }
  .table-wrap tr > * + * { border-top: 1px solid var(--line); }
  .table-wrap td[data-label]::before { content: attr(data-label); flex: 1 0 auto; max-width: 100%; text-align: left; font-weight: 600; font-size: 14px; color: var(--muted); }
  .table-wrap td:not([data-label]) { justify-content: flex-start; text-align: left; }
  .table-wrap tfoot { background: #fff; border: 2px solid var(--ink); border-radius: 8px; padding: 4px 12px; }
  .table-wrap tfoot tr { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 0 12px; border: 0; border-radius: 0; margin: 0; padding: 0; }
  .table-wrap tfoot tr + tr { border-top: 1px solid var(--line); }
  .table-wrap tfoot tr > * { border-top: 0; }
  .table-wrap tfoot th { flex: 1 0 auto; }
  .table-wrap tfoot td[data-label] { flex: 1 1 100%; font-weight: 700; }
}

.chart { background: #fff; border: 1px solid var(--line); border-radius: 8px; margin: 0 0 16px; padding: 12px; }
.chart figcaption { font-weight: 600; margin-bottom: 8px; }
.chart svg { display: block; width: 100%; height: auto; }
.chart svg.narrow { display: none; max-width: 30rem; margin: 0 auto; }
.chart .legend { display: flex; flex-wrap: wrap; gap: 4px 20px; list-style: none; margin: 8px 0 0; padding: 0; }
.chart .legend li { display: flex; align-items: center; gap: 8px; }
.chart .legend svg { width: 16px; height: 16px; flex: none; }
.chart details { margin-top: 8px; }
.chart details > summary { cursor: pointer; display: inline-flex; align-items: center; min-height: 44px; color: var(--brand); text-decoration: underline; }
.chart details .table-wrap { margin: 8px 0 0; }
@media (max-width: 720px) {
  .chart svg.wide { display: none; }
  .chart svg.narrow { display: block; }
}
`;
