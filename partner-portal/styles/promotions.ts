/**
 * The promotions and campaigns rules of the portal's stylesheet: each owned program's section, the pages' own navigation (promotions, campaigns), the empty states,
 * a promotion's trigger under its name, and a campaign's promotions as a plain list.
 */
export const promotionsCss = `
.promotions-nav { margin: -8px 0 16px; }
.promotions-nav a { display: inline-flex; align-items: center; min-height: 44px; }
.performance-intro { color: var(--muted); max-width: 60rem; }
.program-promotions, .program-campaigns { margin-bottom: 32px; }
.performance-empty { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; max-width: 720px; margin-bottom: 16px; }
.performance-empty p { margin: 0 0 8px; } .performance-empty p:last-child { margin-bottom: 0; }
.promotion-trigger { display: block; font-weight: 400; font-size: 14px; color: var(--muted); }
table.promotions th a, .campaign-promotions a { display: inline-flex; align-items: center; min-height: 44px; }
.campaign-promotions { list-style: none; margin: 0; padding: 0; }
.campaign-promotions li { display: flex; flex-wrap: wrap; align-items: center; gap: 0 4px; }
`;
