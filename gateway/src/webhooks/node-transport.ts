import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { Readable } from "node:stream";
import { isPublicAddress, refuseTarget } from "./targets";
import { readExcerpt, TargetRefused, type WebhookTransport } from "./transport";

/**
 * The Node transport: node:http(s) with a DNS lookup that refuses private, loopback and reserved addresses
 * unless `allowPrivate`. The check runs on the very addresses the socket connects to, so a name that resolves
 * to a public address when the endpoint is saved and to 127.0.0.1 later (DNS rebinding) is still refused.
 * `lookup` is injectable so tests can resolve names without a DNS server.
 */
export function nodeTransport(options: { allowPrivate: boolean; lookup?: LookupFunction }): WebhookTransport {
  const baseLookup = options.lookup ?? (dnsLookup as LookupFunction);
  const guardedLookup: LookupFunction = (hostname, lookupOptions, callback) => {
    baseLookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      const list = (Array.isArray(addresses) ? addresses : [{ address: addresses, family: 4 }]) as LookupAddress[];
      const refused = list.find((entry) => !options.allowPrivate && !isPublicAddress(entry.address));
      if (refused)
        return callback(
          new TargetRefused(`${hostname} resolves to ${refused.address}, a private, loopback or reserved address.`),
          "",
          0,
        );
      if (lookupOptions.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const chosen = list[0];
      if (!chosen) return callback(new Error(`${hostname} did not resolve`), "", 0);
      callback(null, chosen.address, chosen.family);
    });
  };

  return (request) =>
    new Promise((resolve, reject) => {
      const refused = refuseTarget(request.url, options.allowPrivate);
      if (refused) return reject(new TargetRefused(`The endpoint URL ${refused}.`));
      const url = new URL(request.url);
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      const outgoing = send(
        url,
        {
          method: "POST",
          headers: { ...request.headers, "Content-Length": Buffer.byteLength(request.body).toString() },
          lookup: guardedLookup,
          timeout: request.timeoutMs,
          signal: AbortSignal.timeout(request.timeoutMs),
        },
        (incoming) => {
          readExcerpt(Readable.toWeb(incoming) as ReadableStream<Uint8Array>).then(
            (excerpt) => resolve({ status: incoming.statusCode ?? 0, excerpt }),
            reject,
          );
        },
      );
      outgoing.on("timeout", () => outgoing.destroy(new Error(`no answer within ${request.timeoutMs} ms`)));
      outgoing.on("error", reject);
      outgoing.end(request.body);
    });
}
