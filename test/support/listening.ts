import { afterAll, beforeAll } from "vitest";
import { createTestGateway, type TestGateway } from "./gateway";

/**
 * A test gateway on a fresh libSQL file, served over real HTTP for the file's tests, so concurrent requests truly
 * overlap in the server, its group commit and the database file. Read `gw` and `url` inside tests.
 */
export function useListeningGateway() {
  let gw: TestGateway | undefined;
  let server: { url: string; stop: () => Promise<void> } | undefined;
  beforeAll(async () => {
    gw = await createTestGateway();
    server = await gw.listen();
  });
  afterAll(async () => {
    await server?.stop();
    await gw?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the gateway starts in beforeAll");
    return value;
  };
  return {
    get gw() {
      return started(gw);
    },
    get url() {
      return started(server).url;
    },
  };
}
