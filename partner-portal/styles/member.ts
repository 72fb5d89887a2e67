/**
 * The member rules of the portal's stylesheet: the hosted member pages, designed for a phone first (the pages'
 * links as a grid of large targets under the header, one column of cards, full-width fields and buttons), a row
 * of links and two columns of cards on a wide screen.
 */
export const memberCss = `
.member-nav { background: #fff; border-bottom: 1px solid var(--line); padding: 4px 8px; }
.member-nav ul { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 0 4px; max-width: 1100px; margin: 0 auto; }
.member-nav a { display: flex; align-items: center; justify-content: center; min-height: 44px; padding: 4px 6px; text-align: center; overflow-wrap: anywhere; border-bottom: 3px solid transparent; }
.member-nav a[aria-current="page"] { border-bottom-color: var(--brand); }
@media (min-width: 601px) {
  /* A row whose first link's text lines up with the content's left edge (main's 16 px padding). */
  .member-nav { padding: 4px 0; }
  .member-nav ul { display: flex; gap: 0 16px; padding: 0 8px; }
  .member-nav a { padding: 4px 8px; }
}
.member-section { margin-bottom: 16px; max-width: 560px; }
.member-expiring { display: grid; gap: 0; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 4px 16px; margin: 0; }
.member-expiring div { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 4px 12px; padding: 8px 0; border-bottom: 1px solid var(--line); }
.member-expiring div:last-child { border-bottom: 0; }
.member-expiring dt { color: var(--muted); } .member-expiring dd { margin: 0; font-weight: 600; }
.member-tier-progress h3 { font-size: 1.05rem; margin: 0 0 8px; }
.member-progress { display: grid; gap: 4px; margin-bottom: 12px; }
.member-progress progress { appearance: none; width: 100%; height: 14px; border: 1px solid #667085; border-radius: 7px; background: #eef1f5; overflow: hidden; }
.member-progress progress::-webkit-progress-bar { background: #eef1f5; }
.member-progress progress::-webkit-progress-value { background: var(--brand); }
.member-progress progress::-moz-progress-bar { background: var(--brand); }
.member-history th[scope="row"] { font-weight: 600; }
@media (max-width: 600px) { .member-history td:empty { display: none; } }
.member-pager { display: flex; flex-wrap: wrap; gap: 8px 24px; margin: 8px 0 16px; }
.member-pager a { display: inline-flex; align-items: center; min-height: 44px; padding: 0 4px; }
.member-challenges { display: grid; gap: 16px; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); }
.member-challenge { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px; }
.member-challenge h2 { margin: 0 0 12px; font-size: 1.15rem; }
.member-challenge p { margin: 0; }
.member-card { margin: 0 0 16px; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px; max-width: 420px; display: grid; justify-items: center; gap: 12px; }
.member-qr { display: block; width: 240px; height: 240px; max-width: 100%; }
.member-card figcaption, .member-card dl { width: 100%; margin: 0; }
.member-card dl div { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 4px 12px; padding: 6px 0; border-top: 1px solid var(--line); }
.member-card dt { color: var(--muted); } .member-card dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
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
/* Rewards and transfers: reward cards (the name a large link), facts as a list, the delivery fieldset, codes. */
.member-rewards { list-style: none; margin: 0 0 16px; padding: 0; display: grid; gap: 12px; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); }
.member-reward { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 16px 12px; }
.member-reward h2 { margin: 0 0 4px; font-size: 1.15rem; }
.member-reward h2 a { display: flex; align-items: center; min-height: 44px; }
.member-reward p { margin: 0 0 6px; }
.member-price { font-weight: 600; }
.member-short { color: var(--muted); }
form.member-form.member-framed { border: 1px solid var(--line); padding: 16px; max-width: 560px; }
.member-back { display: inline-flex; align-items: center; min-height: 44px; }
.member-facts { max-width: 560px; padding-left: 20px; } .member-facts li + li { margin-top: 4px; }
fieldset.member-delivery { display: grid; gap: 12px; min-width: 0; margin: 0; padding: 8px 12px 12px; border: 1px solid var(--line); border-radius: 8px; }
.member-delivery legend { font-weight: 600; padding: 0 4px; }
.member-codes { list-style: none; margin: 0; padding: 0; } .member-codes code { font-size: 1.15rem; letter-spacing: 0.05em; }
`;
