import { z } from "@hono/zod-openapi";
import type { SandboxClock } from "../../clock";
import type { Deps } from "../../deps";

export const SandboxClockSchema = z
  .object({
    now: z.iso.datetime().openapi({
      example: "2027-02-14T09:30:00.000Z",
      description: "The business clock: what expiry, quotes, webhook schedules and clean-ups go by",
    }),
    offset_seconds: z.number().min(0).openapi({
      example: 2_592_000,
      description: "How far the business clock runs ahead of real time (fractions are milliseconds)",
    }),
  })
  .openapi("SandboxClock");

/** The clock as the API shows it. */
export const clockBody = (clock: SandboxClock) =>
  SandboxClockSchema.parse({ now: clock.now().toISOString(), offset_seconds: clock.offsetMs / 1000 });

/** The sandbox clock of a deployment whose sandbox routes are mounted, which happens only when it has one. */
export function sandboxClockOf(deps: Deps): SandboxClock {
  if (!deps.sandboxClock) throw new Error("a sandbox route is mounted on a deployment that is no sandbox");
  return deps.sandboxClock;
}
