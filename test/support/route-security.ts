import { expect, it } from "vitest";
import type { TestGateway } from "./gateway";

export type RouteCase = { method: string; path: string; body?: unknown };

/**
 * The auth cases every operator route shares (unkey's runCommonRouteTests): no token 401 with
 * WWW-Authenticate; a partner token 403; and nothing answers before authentication.
 */
export function itIsOperatorOnly(gateway: () => TestGateway, routes: () => RouteCase[]) {
  it("answers 401 without a token and 403 to a partner token on every operator route", async () => {
    const gw = gateway();
    const partner = await gw.onboardPartner();
    for (const route of routes()) {
      const anonymous = await gw.call(route.method, route.path, { body: route.body });
      expect(anonymous.status, `${route.method} ${route.path}`).toBe(401);
      expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);
      const forbidden = await gw.call(route.method, route.path, { body: route.body, token: partner.token });
      expect(forbidden.status, `${route.method} ${route.path}`).toBe(403);
      expect(forbidden.body.code).toBe("forbidden");
    }
  });
}

/**
 * The auth cases of partner routes: no token 401 with WWW-Authenticate, and a partner token without the
 * route's scope 403 naming the scope it needs.
 */
export function itNeedsScope(gateway: () => TestGateway, scope: string, routes: () => RouteCase[]) {
  it(`answers 401 without a token and 403 to a token without ${scope}`, async () => {
    const gw = gateway();
    const partner = await gw.onboardPartner();
    const other = scope === "members:read" ? "points:earn" : "members:read";
    const narrow = await gw.token(partner.clientId, partner.secret, other);
    for (const route of routes()) {
      const anonymous = await gw.call(route.method, route.path, { body: route.body });
      expect(anonymous.status, `${route.method} ${route.path}`).toBe(401);
      expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);
      const forbidden = await gw.call(route.method, route.path, { body: route.body, token: narrow });
      expect(forbidden.status, `${route.method} ${route.path}`).toBe(403);
      expect(forbidden.body.detail).toContain(scope);
    }
  });
}
