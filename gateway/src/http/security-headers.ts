import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./context";

// /docs runs its own script and styles; blob: is content the page made itself (Scalar previews "try it"
// responses from blob URLs and runs a helper in a blob worker). Nothing from another origin.
const docsPolicy = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "object-src 'self' blob:",
  "worker-src 'self' blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join("; ");

// The portal runs no script at all, and has neither inline styles nor a <style>: its pages need only their
// stylesheet, their favicon and their forms, all on this origin. An injected script would not run.
const portalPolicy = [
  "default-src 'none'",
  "script-src 'none'",
  "style-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

// JSON, and anything else that is not a page, may load nothing.
const nonePolicy = "default-src 'none'; frame-ancestors 'none'";

const common: [string, string][] = [
  ["Strict-Transport-Security", "max-age=31536000; includeSubDomains"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-Frame-Options", "DENY"],
  ["Referrer-Policy", "no-referrer"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
  ["Cross-Origin-Resource-Policy", "same-origin"],
];

// Portal forms need their Origin sent (with no-referrer, Chromium posts `Origin: null`); same-origin still
// keeps URLs, such as a member page's token, from leaking to other sites.
const pageHeaders = (policy: string): [string, string][] => [
  ...common.map(([name, value]): [string, string] => [name, name === "Referrer-Policy" ? "same-origin" : value]),
  ["Content-Security-Policy", policy],
];
const docsHeaders = pageHeaders(docsPolicy);
const portalHeaders = pageHeaders(portalPolicy);
const otherHeaders: [string, string][] = [...common, ["Content-Security-Policy", nonePolicy]];

/**
 * Security headers, set before the handler runs so they go out with the response it creates. (Hono's
 * secureHeaders sets them afterwards, which makes @hono/node-server rebuild every response as a full
 * Response object: a visible cost on every request.) A CSP per surface: the API reference gets what Scalar
 * needs, the portal no script at all, and JSON nothing.
 */
export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  for (const [name, value] of securityHeadersFor(c.req.path)) c.header(name, value);
  await next();
});

/** The security headers of an answer to `path`, for the middleware and for node-listener.ts's hot member read. */
export function securityHeadersFor(path: string): readonly [string, string][] {
  if (path === "/docs") return docsHeaders;
  return path === "/portal" || path.startsWith("/portal/") ? portalHeaders : otherHeaders;
}
