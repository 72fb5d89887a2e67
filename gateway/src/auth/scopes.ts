/** The scopes of the API (README "Auth", and each operation's `security` in /openapi.json). Partner credentials get all partner scopes unless created with fewer. */
export const partnerScopes = [
  "members:write",
  "members:read",
  "points:earn",
  "points:burn",
  "conversions:write",
  "webhooks:manage",
  "settlements:read",
] as const;

export const operatorScope = "operator" as const;

export type PartnerScope = (typeof partnerScopes)[number];
export type Scope = PartnerScope | typeof operatorScope;

export const isPartnerScope = (scope: string): scope is PartnerScope =>
  (partnerScopes as readonly string[]).includes(scope);

export const parseScopes = (text: string): string[] => text.split(/\s+/).filter(Boolean);
