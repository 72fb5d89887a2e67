// Types of the workerd-only modules the worker tests import, declared by hand: the project type-checks
// against DOM types, and @cloudflare/workers-types' globals (which declare these modules) clash with them.
// Only what the tests use is declared; see node_modules/@cloudflare/vitest-plugin/types for the rest.

declare module "cloudflare:workers" {
  /** The bindings of the Worker under test: wrangler.toml plus the `miniflare` options of vitest.config.mts. */
  export const env: import("../../gateway/src/worker").WorkerEnv;
  /** The Worker's own exports; `exports.default.fetch` sends a request through its fetch handler. */
  export const exports: { default: { fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> } };
}

declare module "cloudflare:test" {
  type ExecutionContext = import("@cloudflare/workers-types").ExecutionContext;
  type ScheduledController = import("@cloudflare/workers-types").ScheduledController;
  /** One file of migrations/, as readD1Migrations (vitest.config.mts) reads it: its name and its statements. */
  export type D1Migration = { name: string; queries: string[] };
  /**
   * What `wrangler d1 migrations apply` does: creates wrangler's table (d1_migrations unless named), then
   * applies each migration it does not list, in one batch with the row that records it.
   */
  export function applyD1Migrations(
    db: import("@cloudflare/workers-types").D1Database,
    migrations: D1Migration[],
    migrationsTableName?: string,
  ): Promise<void>;
  /** Deletes all data from all bindings, such as the D1 database. */
  export function reset(): Promise<void>;
  export function createExecutionContext(): ExecutionContext;
  /** Waits for everything the handler passed to `ctx.waitUntil` to settle. */
  export function waitOnExecutionContext(ctx: ExecutionContext): Promise<void>;
  export function createScheduledController(options?: {
    scheduledTime?: Date | number;
    cron?: string;
  }): ScheduledController;
}
