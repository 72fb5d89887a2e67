import { describe, expect, it } from "vitest";
import { setupProgram } from "../scenarios/fixtures";
import { connect } from "../scenarios/gateway";
import { expectBody } from "../scenarios/harness";
import * as op from "../scenarios/routes";
import { useWorkerTarget } from "./target";

// The member's own pages served by the Worker, on D1: qrcode draws the card in workerd as it does on Node
// (the pages themselves: test/api/member-pages.test.ts, test/browser/member-pages.test.ts).
const gw = connect(useWorkerTarget());

describe("the member's pages on Workers, over D1", () => {
  it("draws the member's card as an SVG QR code and pages the history, in the member's language", async () => {
    const { owner, programId, enrol, earn } = await setupProgram(gw, { name: "Harbor Rewards" });
    const { externalId } = await enrol();
    const named = await gw.call("PATCH", `/v1/programs/${programId}/members/${externalId}`, {
      as: owner,
      body: { name: "Ирина Петрова", locale: "ru-RU" },
    });
    expect(named.status).toBe(200);
    for (let n = 1; n <= 11; n++) await earn(externalId, n);
    const opened = expectBody(
      await gw.call("POST", "/v1/member-sessions", {
        as: owner,
        body: { program_id: programId, external_id: externalId },
      }),
      op.createMemberSession,
      201,
    );
    const path = new URL(opened.url).pathname;

    const card = await gw.call("GET", `${path}/card`);
    expect(card.status).toBe(200);
    expect(card.text).toContain('<html lang="ru">');
    expect(card.text).toMatch(
      new RegExp(
        `<svg [^>]*width="240" height="240"[^>]*role="img" aria-label="QR-код карты Harbor Rewards, владелец Ирина Петрова, номер ${externalId}"><path fill="#ffffff"`,
      ),
    );

    const history = await gw.call("GET", `${path}/history`);
    expect(history.status).toBe(200);
    expect(history.text.match(/data-transaction=/g)?.length).toBe(10);
    const older = /<a href="([^"]+)" rel="next">Более ранние<\/a>/.exec(history.text)?.[1] ?? "";
    const rest = await gw.call("GET", older.replaceAll("&amp;", "&"));
    expect(rest.text.match(/data-points="(\d+)"/g)).toEqual(['data-points="1"']);
  });
});
