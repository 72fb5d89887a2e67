/**
 * The webhooks rules of the portal's stylesheet: health badges (text at least 4.5:1 on their tint), the add form's
 * checkboxes as 44 px targets with marked errors, the log's filter links and outcome colours.
 */
export const webhooksCss = `
.lead { max-width: 70ch; }
.block { display: block; }
.badge { display: inline-block; padding: 2px 8px; border-radius: 6px; border: 1px solid; font-size: 14px; font-weight: 600; line-height: 1.5; }
.badge.healthy { color: #05603a; background: #ecfdf3; border-color: #05603a; }
.badge.failing { color: #93370d; background: #fffaeb; border-color: #93370d; }
.badge.disabled { color: #912018; background: #fef3f2; border-color: #912018; }
.cards.health dd { font-size: 1rem; font-weight: 600; }
.cards.health .card:first-child { grid-column: 1 / -1; }
table.webhooks ul.types { list-style: none; margin: 0; padding: 0; }
table.webhooks ul.types code { word-break: normal; overflow-wrap: anywhere; }
form.stack.wide { max-width: 640px; }
.hint { color: var(--muted); font-size: 14px; margin-top: -8px; }
.field-error { color: var(--bad); font-weight: 600; }
input[aria-invalid="true"] { border: 2px solid var(--bad); }
fieldset.checks { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; margin: 0; display: grid; gap: 0; }
fieldset.checks.invalid { border: 2px solid var(--bad); }
fieldset.checks legend { font-weight: 600; padding: 0 4px; }
label.check { display: flex; align-items: center; gap: 10px; min-height: 44px; font-weight: 400; }
label.check input { min-height: 0; width: 20px; height: 20px; flex: none; margin: 0; }
label.check code { color: var(--muted); }
details.rotate { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 0 12px; margin-bottom: 16px; max-width: 640px; }
details.rotate > summary { cursor: pointer; min-height: 44px; display: flex; align-items: center; font-weight: 600; }
details.rotate form { margin-bottom: 12px; }
nav.filter { display: flex; flex-wrap: wrap; gap: 8px; margin-bottom: 12px; }
nav.filter a { display: inline-flex; align-items: center; min-height: 44px; padding: 0 14px; border: 1px solid #98a2b3; border-radius: 6px; background: #fff; }
nav.filter a[aria-current="page"] { background: var(--ink); border-color: var(--ink); color: #fff; text-decoration: none; }
.outcome { font-weight: 600; }
.outcome.succeeded { color: var(--ok); }
.outcome.failed { color: var(--bad); }
table.deliveries code.block { font-size: 12px; }
@media (max-width: 600px) {
  .actions .inline, .actions .inline button { width: 100%; }
  table.deliveries .inline button { min-height: 44px; }
}
`;
