/**
 * The tiers rules of the portal's stylesheet: each owned program's section, the empty state, the member lookup,
 * and what a member still needs for the next tier (labels and figures in rows, which the member's page shows too).
 */
export const tiersCss = `
.tiers-intro { color: var(--muted); max-width: 60rem; }
.program-tiers { margin-bottom: 32px; }
.program-tiers h3 { font-size: 1.1rem; margin: 16px 0 8px; }
.tiers-empty { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; max-width: 720px; }
.tiers-empty p { margin: 0 0 8px; } .tiers-empty p:last-child { margin-bottom: 0; }
form.tier-lookup { margin-bottom: 16px; }
.member-tier { margin-bottom: 16px; }
.tier-needs { display: grid; margin: 0 0 16px; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 4px 16px; max-width: 560px; }
.tier-needs div { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 4px 12px; padding: 8px 0; border-bottom: 1px solid var(--line); }
.tier-needs div:last-child { border-bottom: 0; }
.tier-needs dt { color: var(--muted); } .tier-needs dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
`;
