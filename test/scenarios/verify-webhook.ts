import { vi } from "vitest";
import { verifyWebhook } from "../../sdk/src";
import type { Received } from "./target";

/**
 * Verifies a received webhook as the SDK does, at the time it was signed, as a receiver would on arrival: the
 * scenarios' clocks stand wherever a scenario moved them, far from the time the test runs.
 */
export function verifyReceived(secret: string, received: Received | undefined) {
  if (!received) throw new Error("no webhook arrived");
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Number(received.headers["webhook-timestamp"]) * 1000);
  try {
    return verifyWebhook(received.rawBody, received.headers, secret).event;
  } finally {
    vi.useRealTimers();
  }
}
