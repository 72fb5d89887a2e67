/** The scopes of the API (README "Auth", and each operation's `security` in /openapi.json). Partner credentials get all partner scopes unless created with fewer. */
export const partnerScopes = [
  "members:write",
  "members:read",
  "points:earn",
  "points:burn",
  "conversions:write",
  "webhooks:manage",
  "settlements:read",
  "programs:manage",
] as const;

export const operatorScope = "operator" as const;

export type PartnerScope = (typeof partnerScopes)[number];
export type Scope = PartnerScope | typeof operatorScope;

export const isPartnerScope = (scope: string): scope is PartnerScope =>
  (partnerScopes as readonly string[]).includes(scope);

export const parseScopes = (text: string): string[] => text.split(/\s+/).filter(Boolean);

/** Every partner scope there was before `programs:manage` (issue 16): the default set credentials were made with. */
const scopesBeforeProgramsManage: readonly string[] = partnerScopes.filter((scope) => scope !== "programs:manage");

/**
 * A credential's scopes as stored (space-separated), read as granted today: a partner credential that holds
 * every scope of the default set before `programs:manage` existed was made with that default, so it holds
 * `programs:manage` too, as new default credentials do. No row is rewritten; a credential made with fewer
 * scopes gains nothing.
 */
export function grantedScopes(partnerId: string | null, stored: string): string[] {
  const scopes = parseScopes(stored);
  const hadDefault = scopesBeforeProgramsManage.every((scope) => scopes.includes(scope));
  return partnerId !== null && hadDefault && !scopes.includes("programs:manage")
    ? [...scopes, "programs:manage"]
    : scopes;
}
