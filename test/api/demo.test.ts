import { describe, expect, it } from "vitest";
import { createTestGateway } from "../support/gateway";
import { accessToken, run, startGateway } from "../support/node-process";

describe("npm run demo", { timeout: 120_000 }, () => {
  it("seeds a database where the README's tour ran, prints member ids per program that the API knows, and refuses only its own second run", async () => {
    // The tour: the operator onboards SkyWays Airlines (the demo's airline, by name and email) and its program.
    const tour = await createTestGateway();
    const { partner } = await tour.onboardPartner({
      name: "SkyWays Airlines",
      contact_email: "loyalty-dev@skyways.example",
    });
    const program = await tour.call("POST", "/v1/programs", {
      token: await tour.operatorToken(),
      body: {
        partner_id: partner.id,
        name: "SkyWays Miles",
        point_name: "mile",
        settlement_currency: "USD",
        issue_price_micros: 12000,
        redeem_price_micros: 10000,
        points_expire_after_days: 730,
      },
    });
    expect(program.status).toBe(201);
    await tour.close();
    const DATABASE_URL = tour.config.DATABASE_URL;

    const demo = run("scripts/demo.ts", { DATABASE_URL });
    expect(await demo.exited).toBe(0);
    expect(demo.output()).toMatch(/^Seeded the demo coalition/);
    // Each program: its id, its partner's credential and its members, with a prefix of its own.
    const programs = [
      ...demo
        .output()
        .matchAll(/runs .+ \((prg_\w+)\)\n {4}client_id=(\S+)\n {4}client_secret=(\S+)\n {4}members: ((\w+)-\d{6}), /g),
    ].map(([, programId, clientId, secret, member, prefix]) => ({ programId, clientId, secret, member, prefix }));
    expect(programs).toHaveLength(3);
    expect(new Set(programs.map((p) => p.prefix)).size).toBe(3);

    // A newcomer calls the API with what the demo printed.
    const gateway = startGateway({ DATABASE_URL });
    const url = await gateway.listening();
    for (const { programId, clientId, secret, member } of programs) {
      const partnerToken = await accessToken(url, String(clientId), String(secret));
      const response = await fetch(`${url}/v1/programs/${programId}/members/${member}`, {
        headers: { Authorization: `Bearer ${partnerToken}` },
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { external_id: string }).external_id).toBe(member);
    }
    gateway.child.kill("SIGTERM");
    expect(await gateway.exited).toBe(0);

    const again = run("scripts/demo.ts", { DATABASE_URL });
    expect(await again.exited).toBe(0);
    expect(again.output()).toMatch(/^The demo has already seeded /);
    expect(again.output()).toContain("DATABASE_URL=file:./data/demo.db npm run demo");
    expect(again.output()).not.toContain("Seeded");
  });
});
