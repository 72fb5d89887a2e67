/**
 * The credentials rules of the portal's stylesheet: the one-time secret, the key states (words, not colour alone),
 * link buttons, the rotation's summary and its grace-period choices as 44 px targets.
 */
export const credentialsCss = `
.reveal { background: #ecfdf3; border: 2px solid var(--ok); border-radius: 8px; padding: 4px 16px 12px; margin-bottom: 16px; max-width: 70ch; }
.reveal h2 { font-size: 1.15rem; }
.reveal dl, .key-summary { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; margin: 0; }
.reveal dt, .key-summary dt { font-weight: 600; }
.reveal dd, .key-summary dd { margin: 0; min-width: 0; }
.reveal code { font-size: 15px; background: #fff; padding: 2px 4px; border: 1px solid var(--line); border-radius: 4px; }
.key-summary { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin-bottom: 16px; max-width: 640px; }
.key-state { font-weight: 600; }
.key-state.active { color: var(--ok); }
.key-state.replacing { color: #93370d; }
.key-state.revoked { color: var(--muted); }
a.button { min-height: 44px; box-sizing: border-box; display: inline-flex; align-items: center; }
a.button.secondary { background: #fff; color: var(--ink); border: 1px solid #98a2b3; }
fieldset.grace { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; margin: 0; display: grid; gap: 0; }
fieldset.grace.invalid { border: 3px solid var(--bad); }
fieldset.grace legend { font-weight: 600; padding: 0 4px; }
fieldset.grace .hint { margin: 0 0 4px; color: var(--muted); font-size: 14px; }
label.choice { display: flex; align-items: center; gap: 10px; min-height: 44px; font-weight: 400; }
label.choice input { min-height: 0; width: 20px; height: 20px; flex: none; margin: 0; }
@media (max-width: 600px) {
  .reveal dl, .key-summary { grid-template-columns: 1fr; gap: 2px; }
  .reveal dd + dt, .key-summary dd + dt { margin-top: 8px; }
}
`;
