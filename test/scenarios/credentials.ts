import { describe, expect, it } from "vitest";
import { newKey, onboardPartner, type Partner } from "./fixtures";
import { connect } from "./gateway";
import { expectBody, expectProblem, tally } from "./harness";
import * as op from "./routes";
import type { Credential, Target } from "./target";

/**
 * Rotating a partner's credential (`POST /v1/partners/{id}/credentials/{client_id}/rotate`): a new pair with the
 * old one's scopes, the old one revoked in the same atomic write, at once or after a grace period; refusals;
 * and two rotations at once, of which exactly one succeeds.
 */
export function credentialScenarios(target: Target) {
  const gw = connect(target);
  const rotate = (partnerId: string, clientId: string, options: { body?: unknown; key?: string } = {}) =>
    gw.call("POST", `/v1/partners/${partnerId}/credentials/${clientId}/rotate`, {
      as: gw.operator,
      body: options.body,
      headers: options.key ? { "Idempotency-Key": options.key } : {},
    });
  const grant = (credential: Credential) =>
    gw.call("POST", "/oauth/token", {
      form: { grant_type: "client_credentials", client_id: credential.clientId, client_secret: credential.secret },
    });
  /** A partner route its credentials can call (scope members:read). */
  const listPrograms = (token: string) => gw.call("GET", "/v1/programs", { token });
  const credentialsOf = async (partner: Partner) =>
    expectBody(await gw.call("GET", `/v1/partners/${partner.id}`, { as: gw.operator }), op.getPartner, 200).credentials;
  /** Rotates and answers the new credential, checked against the route's schema. */
  const rotated = async (partner: Partner, clientId: string, body?: unknown): Promise<Credential> => {
    const created = expectBody(await rotate(partner.id, clientId, { body }), op.rotatePartnerCredential, 201);
    if (!created.client_secret) throw new Error("a rotation shows the new secret");
    return { clientId: created.client_id, secret: created.client_secret };
  };

  describe("POST /v1/partners/{id}/credentials/{client_id}/rotate", () => {
    it("answers a new pair with the old one's scopes, shown once, and refuses the old one's tokens at once", async () => {
      const partner = await onboardPartner(gw);
      const added = expectBody(
        await gw.call("POST", `/v1/partners/${partner.id}/credentials`, {
          as: gw.operator,
          body: { scopes: ["members:read", "points:earn"] },
        }),
        op.createPartnerCredential,
        201,
      );
      const old = { clientId: added.client_id, secret: added.client_secret ?? "" };
      const oldToken = await gw.token(old);
      expect((await listPrograms(oldToken)).status).toBe(200);

      const answer = await rotate(partner.id, old.clientId);
      const created = expectBody(answer, op.rotatePartnerCredential, 201);
      expect(created).toMatchObject({ scopes: ["members:read", "points:earn"], revoked_at: null });
      expect(created.client_id).toMatch(/^ci_/);
      expect(created.client_id).not.toBe(old.clientId);
      expect(created.client_secret).toMatch(/^cs_/);

      const refused = expectProblem(await listPrograms(oldToken), 401, "unauthorized", "the old token");
      expect(refused.detail).toContain("revoked");
      expectProblem(await grant(old), 401, "unauthorized", "the old secret");
      const fresh = expectBody(
        await grant({ clientId: created.client_id, secret: created.client_secret ?? "" }),
        op.getToken,
        200,
      );
      expect(fresh.scope).toBe("members:read points:earn");
      expect((await listPrograms(fresh.access_token)).status).toBe(200);

      const listed = await credentialsOf(partner);
      expect(listed.find((c) => c.client_id === old.clientId)?.revoked_at).toBe(target.clock.now().toISOString());
      expect(listed.find((c) => c.client_id === created.client_id)?.revoked_at).toBeNull();
      expect(JSON.stringify(listed)).not.toContain(created.client_secret);
    });

    it("keeps the old credential working through a grace period, then refuses it from its end on", async () => {
      const partner = await onboardPartner(gw);
      const oldToken = await gw.token(partner);
      const next = await rotated(partner, partner.clientId, { grace_period_seconds: 600 });
      const ends = new Date(target.clock.now().getTime() + 600_000).toISOString();
      expect((await credentialsOf(partner)).find((c) => c.client_id === partner.clientId)?.revoked_at).toBe(ends);

      target.clock.advance(599_000);
      expect((await listPrograms(oldToken)).status).toBe(200);
      expectBody(await grant(partner), op.getToken, 200);
      // Replaced already: it cannot be rotated again, even while it still works.
      expectProblem(await rotate(partner.id, partner.clientId), 409, "conflict");

      target.clock.advance(1000);
      const refused = expectProblem(await listPrograms(oldToken), 401, "unauthorized", "after the grace period");
      expect(refused.detail).toContain("revoked");
      expectProblem(await grant(partner), 401, "unauthorized");
      expect((await listPrograms(await gw.token(next))).status).toBe(200);
    });

    it("revokes at once a credential still in its grace period when it is deleted", async () => {
      const partner = await onboardPartner(gw);
      const oldToken = await gw.token(partner);
      await rotated(partner, partner.clientId, { grace_period_seconds: 3600 });
      expect((await listPrograms(oldToken)).status).toBe(200);
      const revoked = expectBody(
        await gw.call("DELETE", `/v1/partners/${partner.id}/credentials/${partner.clientId}`, { as: gw.operator }),
        op.revokePartnerCredential,
        200,
      );
      expect(revoked.revoked_at).toBe(target.clock.now().toISOString());
      expectProblem(await listPrograms(oldToken), 401, "unauthorized");
    });

    it("answers 404 for another partner's or an unknown credential, and 409 for a revoked one, writing nothing", async () => {
      const partner = await onboardPartner(gw);
      const stranger = await onboardPartner(gw);
      expectProblem(await rotate(partner.id, stranger.clientId), 404, "not_found", "another partner's");
      expectProblem(await rotate(partner.id, "ci_unknown"), 404, "not_found", "unknown");
      expectProblem(await rotate("ptn_unknown", partner.clientId), 404, "not_found", "unknown partner");
      const extra = expectBody(
        await gw.call("POST", `/v1/partners/${partner.id}/credentials`, { as: gw.operator }),
        op.createPartnerCredential,
        201,
      );
      await gw.call("DELETE", `/v1/partners/${partner.id}/credentials/${extra.client_id}`, { as: gw.operator });
      const conflict = expectProblem(await rotate(partner.id, extra.client_id), 409, "conflict", "revoked");
      expect(conflict.detail).toContain(extra.client_id);
      expect(await credentialsOf(partner)).toHaveLength(2);
      expect(await credentialsOf(stranger)).toHaveLength(1);
    });

    it("refuses a grace period that is not whole seconds from 0 to 86400, naming the field", async () => {
      const partner = await onboardPartner(gw);
      for (const grace of [-1, 86_401, 1.5, "60"]) {
        const problem = expectProblem(
          await rotate(partner.id, partner.clientId, { body: { grace_period_seconds: grace } }),
          400,
          "validation_failed",
          String(grace),
        );
        expect(problem.errors?.map((error) => error.path)).toEqual(["grace_period_seconds"]);
      }
      expect(await credentialsOf(partner)).toHaveLength(1);
    });

    it("replays a repeated Idempotency-Key with the same credential, its secret not shown again", async () => {
      const partner = await onboardPartner(gw);
      const key = newKey();
      const first = expectBody(await rotate(partner.id, partner.clientId, { key }), op.rotatePartnerCredential, 201);
      const again = await rotate(partner.id, partner.clientId, { key });
      expect(again.headers.get("Idempotent-Replayed")).toBe("true");
      expect(expectBody(again, op.rotatePartnerCredential, 201)).toEqual({ ...first, client_secret: null });
      expect(await credentialsOf(partner)).toHaveLength(2);
    });

    it("lets exactly one of two rotations of a credential at once succeed, leaving one new credential", async () => {
      for (let round = 0; round < 5; round++) {
        const partner = await onboardPartner(gw);
        const answers = await Promise.all([rotate(partner.id, partner.clientId), rotate(partner.id, partner.clientId)]);
        expect(tally(answers)).toEqual({ "201": 1, "409 conflict": 1 });
        const winner = answers.find((answer) => answer.status === 201);
        const created = expectBody(winner ?? answers[0], op.rotatePartnerCredential, 201);
        const rows = await target.rows<{ client_id: string; revoked_at: number | null }>(
          "select client_id, revoked_at from credentials where partner_id = ? order by client_id",
          partner.id,
        );
        expect(rows).toHaveLength(2);
        expect(rows.filter((row) => row.revoked_at === null).map((row) => row.client_id)).toEqual([created.client_id]);
        expectBody(await grant({ clientId: created.client_id, secret: created.client_secret ?? "" }), op.getToken, 200);
      }
    });
  });

  describe("credential names and last use", () => {
    const create = (partner: Partner, body?: unknown) =>
      gw.call("POST", `/v1/partners/${partner.id}/credentials`, { as: gw.operator, body });

    it("names a credential when it is made, lists the name, and gives it to the credential that replaces it", async () => {
      const partner = await onboardPartner(gw);
      const named = expectBody(
        await create(partner, { name: "  Production checkout " }),
        op.createPartnerCredential,
        201,
      );
      expect(named).toMatchObject({ name: "Production checkout", last_used_at: null });
      const unnamed = expectBody(await create(partner), op.createPartnerCredential, 201);
      expect(unnamed.name).toBeNull();
      const next = expectBody(await rotate(partner.id, named.client_id), op.rotatePartnerCredential, 201);
      expect(next.name).toBe("Production checkout");
      const listed = await credentialsOf(partner);
      expect(listed.map((c) => [c.client_id, c.name])).toEqual([
        [partner.clientId, null],
        [named.client_id, "Production checkout"],
        [unnamed.client_id, null],
        [next.client_id, "Production checkout"],
      ]);
      // Exactly 80 characters (not UTF-16 units) is allowed.
      const longest = `${"é".repeat(79)}😀`;
      expect(expectBody(await create(partner, { name: longest }), op.createPartnerCredential, 201).name).toBe(longest);
    });

    it("refuses a name that is blank, over 80 characters or not one line, naming the field and adding nothing", async () => {
      const partner = await onboardPartner(gw);
      for (const name of ["", "   ", "k".repeat(81), "Production\ncheckout", "Tab\there", 42]) {
        const problem = expectProblem(await create(partner, { name }), 400, "validation_failed", JSON.stringify(name));
        expect(problem.errors?.map((error) => error.path)).toEqual(["name"]);
      }
      expect(await credentialsOf(partner)).toHaveLength(1);
    });

    it("records when a credential last got a token, and not when a request fails", async () => {
      const partner = await onboardPartner(gw);
      const lastUse = async () =>
        (await credentialsOf(partner)).find((c) => c.client_id === partner.clientId)?.last_used_at;
      expect(await lastUse()).toBeNull();
      expectProblem(await grant({ ...partner, secret: "cs_wrong" }), 401, "unauthorized");
      target.clock.advance(5 * 60_000);
      const at = target.clock.now().toISOString();
      expectBody(await grant(partner), op.getToken, 200);
      // Written after the answer (never delaying or failing it), so it may land a moment later.
      await expect.poll(lastUse).toBe(at);
    });
  });
}
