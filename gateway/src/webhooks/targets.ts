import ipaddr from "ipaddr.js";

/**
 * Where webhooks may go. A partner's URL is fetched by the gateway, so without checks it could be pointed at
 * the gateway's own network (SSRF): loopback, private ranges, link-local cloud metadata (169.254.169.254) and
 * the like. These checks run when an endpoint is saved (the URL as written) and again on every delivery
 * (the addresses its name resolves to then, see node-transport.ts), since DNS can change in between.
 * `WEBHOOK_ALLOW_PRIVATE_TARGETS=true` lifts them, and allows plain http, for local development and tests.
 */

/** ipaddr.js range names that are reachable on the public internet; everything else is refused. */
const publicRanges = new Set(["unicast"]);

/** True when the address is a public unicast address (IPv4-mapped IPv6 is judged as the IPv4 it carries). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return publicRanges.has(parsed.range());
}

/** Names that always mean this machine or its private network, whatever DNS says. */
const privateNames = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/i;

/** Why a URL may not receive webhooks, or null when it may. */
export function refuseTarget(url: string, allowPrivate: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "is not a valid absolute URL";
  }
  if (parsed.protocol !== "https:" && !(allowPrivate && parsed.protocol === "http:"))
    return allowPrivate ? "must use https or http" : "must use https";
  if (parsed.username || parsed.password) return "must not contain credentials";
  if (parsed.hash) return "must not contain a fragment";
  if (allowPrivate) return null;
  // `localhost.` is `localhost`: a fully qualified name's trailing dot names the same host.
  const host = parsed.hostname.replace(/^\[|\]$/g, "").replace(/\.+$/, "");
  if (ipaddr.isValid(host)) return isPublicAddress(host) ? null : "points at a private, loopback or reserved address";
  if (privateNames.test(host) || !host.includes(".")) return "points at a private or local host name";
  return null;
}
