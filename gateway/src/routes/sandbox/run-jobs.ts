import { createRoute, z } from "@hono/zod-openapi";
import { operatorScope } from "../../auth/scopes";
import { requireScope } from "../../http/auth";
import type { createRouter } from "../../http/context";
import { errorResponses } from "../../http/errors";
import { idempotency } from "../../http/idempotency";
import type { OperationRequest, OperationResponse } from "../../http/operation-types";
import { type JobsRun, runScheduledJobs } from "../../jobs";
import { sandboxClockOf } from "./schemas";

const count = (description: string) => z.number().int().min(0).openapi({ description });

/** One schema per job of jobs.ts: `satisfies` fails to compile when a job is added there and not here. */
const jobSchemas = {
  expiry: z
    .object({ expired_points: count("Points expired"), members: count("Members whose points expired") })
    .openapi({ description: "Points expiry, oldest first, with `points.expired` events" }),
  expiring_soon: z
    .object({
      notices: count("Lots noticed: each one's `points.expiring_soon` event"),
      points: count("Points left in those lots"),
    })
    .openapi({
      description: "Lots that expire within 30 days and still hold points, each noticed once to the program's owner",
    }),
  idempotency_keys: z
    .object({ deleted: count("Keys deleted") })
    .openapi({ description: "Idempotency keys past their retention" }),
  reports: z
    .object({
      rows: count("Journal rows folded into the reports' roll-ups"),
      last_rowid: count("The last journal row (SQLite rowid) the roll-ups hold"),
      programs_rebuilt: count("Programs whose time zone changed, rolled up again from their first row"),
    })
    .openapi({
      description:
        "The reports' roll-ups (figures per program and local day, active members per day, ISO week and month) " +
        "brought up to the journal; reports are exact without them, and faster with them",
    }),
  rfm: z
    .object({
      programs: count("Programs scored"),
      members_scored: count("Members scored in those programs"),
    })
    .openapi({ description: "RFM scoring of each program whose last scoring is 24 hours old, or that has none" }),
  sessions: z
    .object({ deleted: count("Sessions deleted") })
    .openapi({ description: "Expired portal sessions and hosted member pages" }),
  sign_in_failures: z
    .object({ deleted: count("Records deleted") })
    .openapi({ description: "Portal sign-in failures whose lock is over" }),
  tiers: z
    .object({
      programs: count("Programs with tiers looked at"),
      members_moved: count("Members moved to the tier they qualify for now"),
    })
    .openapi({ description: "Tier re-evaluation of members whose tier hold ended, with `member.tier_changed` events" }),
  segments: z
    .object({ segments: count("Dynamic segments recounted") })
    .openapi({ description: "Dynamic segments counted a day ago or more, recounted (members who joined recorded)" }),
  webhooks: z
    .object({ attempts: count("Delivery attempts made") })
    .openapi({ description: "Webhook deliveries due by now: retries, and first attempts not yet made" }),
} satisfies Record<keyof JobsRun, z.ZodType>;

const JobsRunSchema = z
  .object({
    now: z.iso.datetime().openapi({ description: "The sandbox clock's time the jobs ran at" }),
    jobs: z.object(jobSchemas),
  })
  .openapi("SandboxJobsRun", {
    example: {
      now: "2027-02-14T09:30:00.000Z",
      jobs: {
        expiry: { expired_points: 2500, members: 1 },
        expiring_soon: { notices: 4, points: 1800 },
        idempotency_keys: { deleted: 3 },
        reports: { rows: 42, last_rowid: 120_517, programs_rebuilt: 0 },
        rfm: { programs: 1, members_scored: 120 },
        sessions: { deleted: 0 },
        sign_in_failures: { deleted: 0 },
        tiers: { programs: 1, members_moved: 2 },
        segments: { segments: 3 },
        webhooks: { attempts: 1 },
      },
    },
  });

export const route = createRoute({
  method: "post",
  path: "/v1/sandbox/jobs/run",
  operationId: "runSandboxJobs",
  tags: ["Sandbox"],
  summary: "Run the scheduled jobs now",
  description:
    "Runs every scheduled job at once, at the sandbox clock's time, and answers what each did: points expiry, " +
    "expiring-soon notices, " +
    "tier re-evaluation, RFM scoring, the reports' roll-ups, " +
    "due webhook deliveries and retries, and the clean-ups. The same jobs run every minute by themselves; " +
    "this saves waiting after moving the clock. Only on sandbox deployments (`SANDBOX=true`); elsewhere the " +
    "path answers 404.",
  security: [{ bearerAuth: [operatorScope] }],
  middleware: [requireScope(operatorScope), idempotency({ required: false, atomic: false })] as const,
  responses: {
    200: { description: "What each job did", content: { "application/json": { schema: JobsRunSchema } } },
    ...errorResponses(401, 403, 409, 422),
  },
});

export type RunSandboxJobsRequest = OperationRequest<typeof route>;
export type RunSandboxJobsResponse = OperationResponse<typeof route>;

export const register = (app: ReturnType<typeof createRouter>) =>
  app.openapi(route, async (c) => {
    const deps = c.get("deps");
    const now = sandboxClockOf(deps).now();
    const jobs = await runScheduledJobs(deps);
    return c.json(JobsRunSchema.parse({ now: now.toISOString(), jobs }), 200);
  });
