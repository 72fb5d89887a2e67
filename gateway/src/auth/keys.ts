import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import type { Clock } from "../clock";
import type { Db } from "../db/client";
import {
  findActiveSigningKey,
  findSigningKey,
  installSigningKey,
  listPublishedPublicJwks,
} from "../db/queries/signing-keys";

type Key = CryptoKey | Uint8Array;
export type SigningKey = { kid: string; alg: string; key: Key };

const supportedAlgorithms = ["ES256", "EdDSA"] as const;

/**
 * Access-token keys kept in the database. The newest unretired key signs. A retired key stays published
 * (and accepted) for `publishRetiredForMs`, longer than any token it signed can live, so rotation never
 * breaks a token in flight. Each process caches keys briefly: on Workers every isolate keeps its own copy,
 * and the short cache is what bounds how long an isolate signs with a key another isolate retired.
 */
export class KeyStore {
  #signing?: { key: SigningKey; loadedAt: number };
  #verification = new Map<string, Key>();
  #lastReload = 0;
  #reloading?: Promise<void>;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly options: { configuredJwk?: string; publishRetiredForMs: number; cacheMs?: number },
  ) {}

  /** Makes sure a signing key exists: the configured one (rotating to it if new) or a generated one. */
  async ensureActiveKey(): Promise<void> {
    if (this.options.configuredJwk) {
      const jwk = JSON.parse(this.options.configuredJwk) as JWK;
      const alg = jwk.alg ?? (jwk.kty === "OKP" ? "EdDSA" : "ES256");
      const { d: _private, ...publicJwk } = jwk;
      const kid = jwk.kid ?? (await calculateJwkThumbprint(publicJwk));
      const existing = await findSigningKey(this.db, kid);
      if (!existing)
        await this.#install({ kid, alg, privateJwk: { ...jwk, kid, alg }, publicJwk: { ...publicJwk, kid, alg } });
      return;
    }
    const active = await findActiveSigningKey(this.db);
    if (!active) await this.rotate();
  }

  /** Generates a new ES256 key, makes it the signing key and retires the previous one (still published). */
  async rotate(): Promise<string> {
    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    const privateJwk = await exportJWK(privateKey);
    const { d: _private, ...publicJwk } = privateJwk;
    const kid = await calculateJwkThumbprint(publicJwk);
    await this.#install({
      kid,
      alg: "ES256",
      privateJwk: { ...privateJwk, kid, alg: "ES256" },
      publicJwk: { ...publicJwk, kid, alg: "ES256" },
    });
    return kid;
  }

  async #install(key: { kid: string; alg: string; privateJwk: JWK; publicJwk: JWK }): Promise<void> {
    await installSigningKey(this.db, {
      kid: key.kid,
      algorithm: key.alg,
      privateJwk: JSON.stringify(key.privateJwk),
      publicJwk: JSON.stringify({ ...key.publicJwk, use: "sig" }),
      createdAt: this.clock.now(),
    });
    this.#signing = undefined;
    this.#lastReload = 0;
  }

  async signingKey(): Promise<SigningKey> {
    const now = this.clock.now().getTime();
    if (this.#signing && now - this.#signing.loadedAt < (this.options.cacheMs ?? 60_000)) return this.#signing.key;
    const row = await findActiveSigningKey(this.db);
    if (!row) throw new Error("No active signing key; ensureActiveKey() must run at start-up");
    const key = { kid: row.kid, alg: row.algorithm, key: await importJWK(JSON.parse(row.privateJwk), row.algorithm) };
    this.#signing = { key, loadedAt: now };
    return key;
  }

  /** The public keys to publish and accept: the active one and those retired recently. */
  async publishedJwks(): Promise<JWK[]> {
    const since = new Date(this.clock.now().getTime() - this.options.publishRetiredForMs);
    return (await listPublishedPublicJwks(this.db, since)).map((publicJwk) => JSON.parse(publicJwk) as JWK);
  }

  /** The key for a token's `kid`, or undefined when it is unknown or no longer published. */
  async verificationKey(kid: string): Promise<Key | undefined> {
    if (this.#verification.has(kid)) return this.#verification.get(kid);
    // Concurrent requests share one reload (a fresh isolate gets many at once); after it, an unknown kid
    // triggers another only 5 s later, so tokens with made-up kids cannot turn into a database flood.
    if (!this.#reloading && this.clock.now().getTime() - this.#lastReload > 5_000) {
      this.#lastReload = this.clock.now().getTime();
      this.#reloading = this.#loadVerificationKeys().finally(() => {
        this.#reloading = undefined;
      });
    }
    await this.#reloading;
    return this.#verification.get(kid);
  }

  async #loadVerificationKeys(): Promise<void> {
    const next = new Map<string, Key>();
    for (const jwk of await this.publishedJwks()) {
      const alg = jwk.alg ?? "ES256";
      if (jwk.kid && (supportedAlgorithms as readonly string[]).includes(alg))
        next.set(jwk.kid, await importJWK(jwk, alg));
    }
    this.#verification = next;
  }

  /** Forgets cached keys; a rotation elsewhere is picked up on the next use. */
  invalidate(): void {
    this.#signing = undefined;
    this.#verification.clear();
    this.#lastReload = 0;
  }
}
