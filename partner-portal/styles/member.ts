/**
 * The member rules of the portal's stylesheet: the hosted conversion page, designed for a phone first (one
 * column of destination cards, full-width fields and buttons), two columns of cards on a wide screen.
 */
export const memberCss = `
.member-intro { color: var(--muted); margin: -8px 0 16px; }
.member-balance { grid-template-columns: repeat(2, minmax(0, 1fr)); max-width: 420px; }
.member-destinations { display: grid; gap: 16px; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); }
.member-destination { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px; }
.member-destination h3 { margin: 0 0 8px; font-size: 1.15rem; }
.member-destination p { margin: 0 0 8px; }
.member-limits { font-weight: 600; }
form.member-form { border: 0; padding: 0; max-width: none; gap: 6px; }
.member-form button { margin-top: 8px; width: 100%; }
.member-form input[aria-invalid="true"] { border: 2px solid var(--bad); }
.member-field-error { color: var(--bad); margin: 0; font-size: 15px; }
.member-sentence { font-size: 1.25rem; font-weight: 600; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px; max-width: 560px; }
.member-countdown { max-width: 560px; margin-bottom: 16px; }
.member-countdown p { margin: 4px 0; }
.member-countdown svg { display: block; width: 100%; height: 12px; margin: 8px 0; }
.member-actions { display: flex; flex-wrap: wrap; gap: 12px 16px; align-items: center; max-width: 560px; }
.member-actions form, .member-actions button { width: 100%; }
.member-actions a { display: inline-block; padding: 10px 0; min-height: 44px; }
.alert.member-pending { color: #7a4b00; border-color: #b54708; background: #fffaeb; }
.alert.member-ok { color: var(--ok); border-color: var(--ok); background: #ecfdf3; }
.alert.member-error { color: var(--bad); border-color: var(--bad); background: #fef3f2; }
.member-receipt { display: grid; gap: 0; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 4px 16px; max-width: 560px; }
.member-receipt div { display: grid; grid-template-columns: minmax(110px, 40%) 1fr; gap: 8px; padding: 8px 0; border-bottom: 1px solid var(--line); }
.member-receipt div:last-child { border-bottom: 0; }
.member-receipt dt { color: var(--muted); } .member-receipt dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
@media (prefers-reduced-motion: reduce) { .member-countdown svg { display: none; } }
`;
