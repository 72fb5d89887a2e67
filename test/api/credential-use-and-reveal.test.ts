import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSealedText, sealText } from "../../gateway/src/auth/sealed";
import { randomToken } from "../../gateway/src/auth/secrets";
import type { Db } from "../../gateway/src/db/client";
import { formAlreadySent, revealToSession, takeNewSecrets } from "../../gateway/src/domain/credential-reveals";
import { rotateCredential } from "../../gateway/src/domain/credential-rotation";
import { recordCredentialUse } from "../../gateway/src/domain/credentials";
import { addCredential, partnerCredential } from "../../gateway/src/domain/partners";
import { createTestGateway, type TestGateway } from "../support/gateway";

/**
 * The domain behind a credential's last use (one write a minute at most, never failing its token request) and
 * the portal's one-time reveal of a new secret (one credential per form nonce, atomically; the secret sealed for
 * the session and taken once).
 */
let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(() => gw.close());

const lastUsedAt = async (partnerId: string, clientId: string) =>
  (await partnerCredential(gw.deps.db, partnerId, clientId)).lastUsedAt;

describe("a credential's last use", () => {
  it("is written at most once a minute, and a write lost to a concurrent one changes nothing", async () => {
    const partner = await gw.onboardPartner();
    const first = gw.clock.now();
    await recordCredentialUse(gw.deps, { clientId: partner.clientId, lastUsedAt: null });
    expect(await lastUsedAt(partner.partner.id, partner.clientId)).toEqual(first);

    gw.clock.advance(59_000);
    // What the token request read was recent: no write at all.
    await recordCredentialUse(gw.deps, { clientId: partner.clientId, lastUsedAt: first });
    // It read a stale value, but another request has written since: the conditional update leaves it.
    await recordCredentialUse(gw.deps, { clientId: partner.clientId, lastUsedAt: null });
    expect(await lastUsedAt(partner.partner.id, partner.clientId)).toEqual(first);

    gw.clock.advance(2_000);
    await recordCredentialUse(gw.deps, { clientId: partner.clientId, lastUsedAt: first });
    expect(await lastUsedAt(partner.partner.id, partner.clientId)).toEqual(gw.clock.now());
  });

  it("never throws when the write fails: it is logged instead", async () => {
    const failing = new Proxy(gw.deps.db, {
      get: (target, property) =>
        property === "update"
          ? () => {
              throw new Error("database is locked");
            }
          : Reflect.get(target, property),
    }) as Db;
    const logged: unknown[] = [];
    await expect(
      recordCredentialUse(
        { db: failing, clock: gw.clock, log: (...entry: unknown[]) => logged.push(entry) },
        { clientId: "ci_any", lastUsedAt: null },
      ),
    ).resolves.toBeUndefined();
    expect(JSON.stringify(logged)).toContain("database is locked");
  });
});

describe("the portal's one-time reveal of a new secret", () => {
  it("seals a secret that only the same token opens", async () => {
    const token = randomToken(32);
    const sealed = await sealText("cs_secret", token, "purpose");
    expect(sealed).not.toContain("cs_secret");
    expect(await openSealedText(sealed, token, "purpose")).toBe("cs_secret");
    expect(await openSealedText(sealed, randomToken(32), "purpose")).toBeUndefined();
    expect(await openSealedText(sealed, token, "another purpose")).toBeUndefined();
    expect(await openSealedText("not base64!", token, "purpose")).toBeUndefined();
  });

  it("makes one credential per form nonce, keeps its secret sealed, and answers it once", async () => {
    const partner = await gw.onboardPartner();
    const form = { sessionToken: randomToken(32), formNonce: randomToken(18) };
    const made = await addCredential(gw.deps, partner.partner.id, {
      scopes: ["members:read"],
      name: "Staging",
      alongside: revealToSession(gw.deps, form),
    });
    expect(await formAlreadySent(gw.deps, form)).toBe(true);
    const stored = await gw.deps.reader.all<{ sealed_secret: string }>(
      "select sealed_secret from portal_credential_reveals where client_id = ?",
      [made.credential.clientId],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]?.sealed_secret).not.toContain(made.secret);

    // The same form again: the batch fails on the nonce, and no second credential is left behind.
    await expect(
      addCredential(gw.deps, partner.partner.id, {
        scopes: ["members:read"],
        alongside: revealToSession(gw.deps, form),
      }),
    ).rejects.toThrow();
    const count = async () =>
      (await gw.deps.reader.all("select client_id from credentials where partner_id = ?", [partner.partner.id])).length;
    expect(await count()).toBe(2);

    // Another session cannot take it; the session that made it, once.
    expect(await takeNewSecrets(gw.deps, randomToken(32))).toEqual([]);
    const [first, second] = await Promise.all([
      takeNewSecrets(gw.deps, form.sessionToken),
      takeNewSecrets(gw.deps, form.sessionToken),
    ]);
    expect([...(first ?? []), ...(second ?? [])]).toEqual([
      { clientId: made.credential.clientId, secret: made.secret },
    ]);
    expect(await takeNewSecrets(gw.deps, form.sessionToken)).toEqual([]);
  });

  it("records no reveal for a rotation that lost to another, so no secret of a credential that was never made is shown", async () => {
    const partner = await gw.onboardPartner();
    const session = randomToken(32);
    const forms = [0, 1].map(() => ({ sessionToken: session, formNonce: randomToken(18) }));
    const results = await Promise.allSettled(
      forms.map((form) =>
        rotateCredential(gw.deps, {
          partnerId: partner.partner.id,
          clientId: partner.clientId,
          alongside: revealToSession(gw.deps, form),
        }),
      ),
    );
    const won = results.filter((result) => result.status === "fulfilled");
    expect(won).toHaveLength(1);
    const shown = await takeNewSecrets(gw.deps, session);
    expect(shown).toEqual([{ clientId: won[0]?.value.credential.clientId, secret: won[0]?.value.secret }]);
  });
});
