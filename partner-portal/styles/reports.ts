/**
 * The reports rules of the portal's stylesheet. The range form is the dashboard's `.range` (styles/dashboard.ts)
 * and the charts are `.chart` figures (styles/layout.ts); here: a bar's link shows its focus as a ring around its
 * column or row (an SVG link draws no outline of its own) and a pointer, the download links and the drill-down's
 * pager are 44 px targets, as are the operator pages' own navigation (reviews and periods, network), and a bar's
 * description reads apart from the cards.
 */
export const reportsCss = `
.report-chart svg a { cursor: pointer; }
.report-chart svg a:focus { outline: none; }
.report-chart svg a:focus-visible rect.hit { stroke: #ffbf47; stroke-width: 3; }
.report-chart svg a:hover rect.bar { opacity: 0.85; }
.report-chart > p.muted { margin: 0 0 8px; font-size: 14px; }
p.download { margin: 8px 0 0; }
p.download a { display: inline-flex; align-items: center; min-height: 44px; }
.report-range select { min-width: 10rem; }
.slice { font-size: 1.1rem; }
.operator-nav { margin: -8px 0 16px; }
.operator-nav a { display: inline-flex; align-items: center; min-height: 44px; }
.pager { display: flex; gap: 16px; margin: 8px 0 16px; }
.pager a { display: inline-flex; align-items: center; min-height: 44px; padding: 0 4px; }
`;
