/**
 * The segments rules of the portal's stylesheet: each owned program's section, the empty states, a segment's
 * description under its name, and the RFM heat map (a square grid kept to a readable size on a desktop; the
 * legend's colour scale wider than a swatch). The heat map is a `.chart` figure (styles/layout.ts) otherwise.
 */
export const segmentsCss = `
.segments-intro { color: var(--muted); max-width: 60rem; }
.program-segments { margin-bottom: 32px; }
.program-segments h3 { font-size: 1.1rem; margin: 16px 0 8px; }
.segments-empty { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; max-width: 720px; margin-bottom: 16px; }
.segments-empty p { margin: 0 0 8px; } .segments-empty p:last-child { margin-bottom: 0; }
.segment-description { display: block; font-weight: 400; font-size: 14px; color: var(--muted); }
table.segments td[data-column="download"] a { display: inline-flex; align-items: center; min-height: 44px; }
.heatmap > p { margin: 0 0 8px; font-size: 14px; }
.heatmap > svg { max-width: 28rem; }
.chart.heatmap .legend svg.scale { width: 64px; }
`;
