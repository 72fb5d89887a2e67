import { Webhook } from "svix";
import { describe, expect, it } from "vitest";
import { newWebhookSecret, signedHeaders } from "../../gateway/src/webhooks/signer";

/** The known answer of svix's and Standard Webhooks' own test suites. */
const vector = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  at: new Date(1_614_265_330 * 1000),
  payload: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

describe("webhook signatures", () => {
  it("sign a fixed payload at a fixed time to the known Standard Webhooks signature", () => {
    expect(signedHeaders([vector.secret], { eventId: vector.id, at: vector.at, payload: vector.payload })).toEqual({
      "webhook-id": vector.id,
      "webhook-timestamp": "1614265330",
      "webhook-signature": vector.signature,
    });
  });

  it("carry one signature per secret during a rotation, each verifiable alone", () => {
    const other = newWebhookSecret();
    const headers = signedHeaders([other, vector.secret], { eventId: vector.id, at: new Date(), payload: "{}" });
    const signatures = String(headers["webhook-signature"]).split(" ");
    expect(signatures).toHaveLength(2);
    expect(signatures[1]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(() => new Webhook(other).verify("{}", headers)).not.toThrow();
    expect(() => new Webhook(vector.secret).verify("{}", headers)).not.toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify("{}", headers)).toThrow();
  });

  it("makes secrets of 32 random bytes with the whsec_ prefix", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice("whsec_".length), "base64")).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });
});
