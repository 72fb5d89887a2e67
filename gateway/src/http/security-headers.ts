import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./context";

// /docs runs its own script and styles; blob: is content the page made itself (Scalar previews "try it"
// responses from blob URLs and runs a helper in a blob worker). Nothing from another origin.
const pagePolicy = [
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

const common: [string, string][] = [
  ["Strict-Transport-Security", "max-age=31536000; includeSubDomains"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-Frame-Options", "DENY"],
  ["Referrer-Policy", "no-referrer"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
  ["Cross-Origin-Resource-Policy", "same-origin"],
];

/**
 * Security headers, set before the handler runs so they go out with the response it creates. (Hono's
 * secureHeaders sets them afterwards, which makes @hono/node-server rebuild every response as a full
 * Response object: a visible cost on every request.) JSON gets a CSP that allows nothing; HTML pages
 * get one that allows only this origin.
 */
export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  for (const [name, value] of common) c.header(name, value);
  const page = c.req.path === "/docs" || c.req.path.startsWith("/portal");
  c.header("Content-Security-Policy", page ? pagePolicy : "default-src 'none'; frame-ancestors 'none'");
  // Portal forms need their Origin sent (with no-referrer, Chromium posts `Origin: null`); same-origin still
  // keeps URLs, such as a member page's token, from leaking to other sites.
  if (page) c.header("Referrer-Policy", "same-origin");
  await next();
});
