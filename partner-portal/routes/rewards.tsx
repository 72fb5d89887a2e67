import type { Context } from "hono";
import { cancelRedemption, fulfilRedemption } from "../../gateway/src/domain/redemptions/steps";
import { importRewards } from "../../gateway/src/domain/rewards/import";
import { ownedCatalogues, ownedProgram } from "../../gateway/src/domain/rewards-portal/owned";
import { fulfilmentQueue, portalOrder } from "../../gateway/src/domain/rewards-portal/queue";
import { ApiError } from "../../gateway/src/errors";
import { rowChecks } from "../../gateway/src/routes/rewards/schemas";
import { createPortalRouter, type PortalEnv, partnerOf, requireRole } from "../context";
import { type FormFields, verifiedForm } from "../form";
import { type OrderForms, OrderPage, OrdersPage } from "../pages/reward-orders";
import { type ImportedNotice, type ImportState, RewardsPage } from "../pages/rewards";
import { type FormProblem, portalProblem } from "../problems";
import { renderPage } from "../render";

/** Where the import form posts: app.tsx gives it a body limit of its own, as large as the API's CSV uploads. */
export const rewardsImportPath = "/portal/rewards/import";

/** How many pending orders the queue shows at once, oldest first. */
const queueLimit = 50;

const readers = requireRole("admin", "finance", "viewer");

/**
 * The Rewards pages: the catalogue of the programs the partner owns, with its code pools, which every role reads
 * and admins import product lists into; and the orders the partner fulfils, which admins fulfil or cancel. Every
 * POST goes through the same domain functions as the API and answers 303 when it changed something, so a reload
 * repeats nothing; a refused form, a dry run and a file with problems write nothing and are answered as a page.
 */
export const rewardRoutes = createPortalRouter()
  .get("/rewards", readers, (c) => cataloguePage(c, { notice: importedNotice(c) }))
  .post("/rewards/import", requireRole("admin"), async (c) => {
    const fields = await verifiedForm(c);
    const { deps } = c.var;
    const partnerId = partnerOf(c);
    const program = await ownedProgram(deps, partnerId, fields.program_id ?? "");
    const state: ImportState = { programId: program.id, dryRun: fields.dry_run !== undefined, typed: fields.csv ?? "" };
    const csv = (await uploadedText(c)) ?? state.typed;
    if (csv.trim() === "")
      return cataloguePage(c, { importState: { ...state, problems: [requiredFile(c)] }, status: 400 });
    const result = await importRewards(deps, { partnerId }, program.id, csv, {
      dryRun: state.dryRun,
      checks: rowChecks,
    });
    if (result.errors.length > 0 || state.dryRun)
      return cataloguePage(c, { importState: { ...state, result }, status: result.errors.length > 0 ? 400 : 200 });
    const done = new URLSearchParams({
      imported: program.id,
      created: String(result.created),
      updated: String(result.updated),
    });
    return c.redirect(`/portal/rewards?${done}`, 303);
  })
  .get("/rewards/orders", readers, async (c) => {
    const queue = await fulfilmentQueue(c.var.deps, partnerOf(c), { limit: queueLimit });
    return renderPage(c, <OrdersPage orders={queue.orders} more={queue.more} />);
  })
  .get("/rewards/orders/:id{rdm_[0-9a-z]+}", readers, async (c) => {
    const order = await portalOrder(c.var.deps, partnerOf(c), c.req.param("id"));
    const done = c.req.query("done");
    return renderPage(
      c,
      <OrderPage order={order} done={done === "fulfilled" || done === "cancelled" ? done : undefined} />,
    );
  })
  .post("/rewards/orders/:id{rdm_[0-9a-z]+}/fulfil", requireRole("admin"), async (c) => {
    const typed = readOrderForms(await verifiedForm(c));
    const id = c.req.param("id");
    if (typed.trackingReference.length > 200)
      return refusedOrder(c, id, typed, { field: "tracking_reference", key: "orders.trackingTooLong" });
    await lostRace(
      fulfilRedemption(c.var.deps, { partnerId: partnerOf(c) }, id, {
        trackingReference: typed.trackingReference || null,
      }),
    );
    return c.redirect(`/portal/rewards/orders/${id}?done=fulfilled`, 303);
  })
  .post("/rewards/orders/:id{rdm_[0-9a-z]+}/cancel", requireRole("admin"), async (c) => {
    const typed = readOrderForms(await verifiedForm(c));
    const id = c.req.param("id");
    if (typed.reason === "") return refusedOrder(c, id, typed, { field: "reason", key: "orders.reasonRequired" });
    if (typed.reason.length > 500) return refusedOrder(c, id, typed, { field: "reason", key: "orders.reasonTooLong" });
    await lostRace(cancelRedemption(c.var.deps, { partnerId: partnerOf(c) }, id, { reason: typed.reason }));
    return c.redirect(`/portal/rewards/orders/${id}?done=cancelled`, 303);
  });

/** The catalogue page, with an import's outcome or a confirmation. */
async function cataloguePage(
  c: Context<PortalEnv>,
  options: { importState?: ImportState; notice?: ImportedNotice; status?: 200 | 400 } = {},
) {
  const catalogues = await ownedCatalogues(c.var.deps, partnerOf(c));
  return renderPage(
    c,
    <RewardsPage catalogues={catalogues} importState={options.importState} notice={options.notice} />,
    options.status ?? 200,
  );
}

/** The confirmation an import's redirect asked for (`?imported=<program>&created=&updated=`). */
function importedNotice(c: Context<PortalEnv>): ImportedNotice | undefined {
  const programId = c.req.query("imported");
  if (!programId) return undefined;
  const count = (name: string) => Math.max(0, Math.trunc(Number(c.req.query(name))) || 0);
  return { programId, created: count("created"), updated: count("updated") };
}

/** The chosen file's text, if a file was chosen (the form's other fields are text, read by verifiedForm). */
async function uploadedText(c: Context<PortalEnv>): Promise<string | undefined> {
  const file = (await c.req.parseBody()).file;
  return file instanceof File && file.size > 0 ? file.text() : undefined;
}

const requiredFile = (c: Context<PortalEnv>): FormProblem => ({
  field: "file",
  message: c.var.i18n.t("rewards.import.required"),
});

/**
 * A step that lost its race (the order fulfilled or cancelled meanwhile, in another tab or through the API) is the
 * domain's 409 `invalid_state`: the portal's problem page, saying it of the order.
 */
async function lostRace<T>(step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (error) {
    if (error instanceof ApiError && error.code === "invalid_state")
      throw portalProblem("invalid_state", { reason: "order" });
    throw error;
  }
}

const readOrderForms = (fields: FormFields): OrderForms => ({
  trackingReference: (fields.tracking_reference ?? "").trim(),
  reason: (fields.reason ?? "").trim(),
});

/** The order's page again, with what was typed and the field at fault (400): nothing was written. */
async function refusedOrder(
  c: Context<PortalEnv>,
  id: string,
  typed: OrderForms,
  problem: { field: string; key: "orders.trackingTooLong" | "orders.reasonRequired" | "orders.reasonTooLong" },
) {
  const order = await portalOrder(c.var.deps, partnerOf(c), id);
  const problems = [{ field: problem.field, message: c.var.i18n.t(problem.key) }];
  return renderPage(c, <OrderPage order={order} typed={typed} problems={problems} />, 400);
}
