import type { MemberAccess } from "../../../gateway/src/domain/access";
import type { MemberSession } from "../../../gateway/src/domain/member-sessions";
import { getRedemption } from "../../../gateway/src/domain/redemptions/find";
import { ensureEligible, placeRedemption } from "../../../gateway/src/domain/redemptions/place";
import type { Delivery } from "../../../gateway/src/domain/redemptions/redemption";
import { type CatalogueReward, getReward, listRewards } from "../../../gateway/src/domain/rewards/catalogue";
import { ApiError } from "../../../gateway/src/errors";
import { createPortalRouter } from "../../context";
import { type FormFields, formFields } from "../../form";
import type { I18n } from "../../i18n";
import {
  deliveryFields,
  isShipped,
  MemberOrderPage,
  MemberRewardPage,
  MemberRewardsPage,
  type RedeemForm,
  type RedeemState,
} from "../../pages/member/rewards";
import { pointsOf } from "../../pages/member/shell";
import type { FormProblem } from "../../problems";
import { renderPage } from "../../render";
import { formKeyField, newFormKey, submitOnce } from "./form-key";
import { memberRefusal } from "./refusals";
import { type MemberContext, openSession, type Status, shell, statusOf } from "./session";

/**
 * The member's rewards: those they may redeem, a reward's page with its redeem form, the order placed through the
 * same atomic write as the API's (`placeRedemption`, the session's partner placing it, the form's key as its
 * Idempotency-Key), and the order's receipt. A token shows only its own member's orders.
 */

const rewardsPerPage = 20;

/** A reward of the session's program, or 404: a token opens no other program's rewards. */
async function memberReward(c: MemberContext, session: MemberSession, id: string): Promise<CatalogueReward> {
  const reward = await getReward(c.var.deps, { partnerId: session.partnerId }, id);
  if (reward.programId !== session.programId) throw new ApiError("not_found", `No reward ${id}.`);
  return reward;
}

/** Whether the member may redeem the reward now, or why not. */
function redeemState(reward: CatalogueReward, access: MemberAccess, now: Date): RedeemState {
  try {
    ensureEligible(reward, access.member, now);
  } catch (error) {
    if (error instanceof ApiError && error.code === "not_eligible") return "notEligible";
    throw error;
  }
  if (reward.available === 0) return "soldOut";
  return reward.pointsPrice > access.available ? "short" : "open";
}

/** The most the form offers: an order's 100, the stock, the member's limit and what the balance pays for. */
const maxQuantity = (reward: CatalogueReward, available: number) =>
  Math.max(
    1,
    Math.min(100, reward.available ?? 100, reward.perMemberLimit ?? 100, Math.floor(available / reward.pointsPrice)),
  );

/** A reward's page with its form (a new key each time it is drawn), as typed and with its problems when given. */
async function rewardPage(
  c: MemberContext,
  session: MemberSession,
  rewardId: string,
  form?: RedeemForm,
  status: Status = 200,
) {
  const { props, access, now } = await shell(c, session);
  const reward = await memberReward(c, session, rewardId);
  return renderPage(
    c,
    <MemberRewardPage
      {...props}
      csrf={session.csrfToken}
      formKey={newFormKey()}
      reward={reward}
      state={redeemState(reward, access, now)}
      maxQuantity={maxQuantity(reward, access.available)}
      form={form}
    />,
    status,
  );
}

/** The fields a redeem form sends, trimmed. */
function typedValues(form: FormFields, reward: CatalogueReward): RedeemForm["values"] {
  const names = ["quantity", ...(isShipped(reward) ? deliveryFields.map((field) => field.name) : [])] as const;
  return Object.fromEntries(names.map((name) => [name, (form[name] ?? "").trim()]));
}

/** What is wrong with the typed values before the order is tried: the quantity's form, the address's fields. */
function typedProblems(i18n: I18n, reward: CatalogueReward, values: RedeemForm["values"], max: number): FormProblem[] {
  const { t } = i18n;
  const problems: FormProblem[] = [];
  const quantity = Number(values.quantity);
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 100)
    problems.push({ field: "quantity", message: t("memberActions.error.quantity", { max: i18n.number(max) }) });
  if (!isShipped(reward)) return problems;
  for (const field of deliveryFields) {
    const value = values[field.name] ?? "";
    const label = t(field.label);
    if (!value && !("optional" in field))
      problems.push({ field: field.name, message: t("memberActions.error.required", { field: label }) });
    else if (value.length > field.maxlength)
      problems.push({
        field: field.name,
        message: t("memberActions.error.tooLong", { field: label, max: i18n.number(field.maxlength) }),
      });
  }
  return problems;
}

/** The address as the order stores it, for a product; none for the rest. */
function deliveryOf(reward: CatalogueReward, values: RedeemForm["values"]): Delivery | null {
  if (!isShipped(reward)) return null;
  return {
    name: values.name ?? "",
    address_lines: [values.address_line1 ?? "", values.address_line2 ?? ""].filter(Boolean),
    city: values.city ?? "",
    postal_code: values.postal_code ?? "",
    country: values.country ?? "",
    ...(values.phone ? { phone: values.phone } : {}),
  };
}

/** A refused order in the member's words: beside the quantity when choosing fewer helps, else at the top. */
function orderRefusal(i18n: I18n, error: ApiError, reward: CatalogueReward, quantity: number, program: string) {
  const { t } = i18n;
  const quantityProblem = (message: string): FormProblem => ({ field: "quantity", message });
  switch (error.code) {
    case "insufficient_points":
      return quantityProblem(
        t("memberActions.error.balance", { cost: pointsOf(i18n, reward.pointsPrice * quantity, program) }),
      );
    case "out_of_stock":
      return quantityProblem(t("memberActions.error.stock"));
    case "limit_exceeded":
      return quantityProblem(t("memberActions.error.limit", { count: i18n.number(reward.perMemberLimit ?? 0) }));
    case "not_eligible":
      return { message: t("memberActions.error.notEligible") };
    default:
      return memberRefusal(i18n, error);
  }
}

export const rewardsRoutes = createPortalRouter()
  .get("/member/:token/rewards", async (c) => {
    const session = await openSession(c);
    const { props, access, now } = await shell(c, session);
    const after = c.req.query("starting_after") || undefined;
    const page = await listRewards(
      c.var.deps,
      { partnerId: session.partnerId },
      session.programId,
      { active: true, redeemableBy: { memberId: access.member.id, at: now } },
      { limit: rewardsPerPage, starting_after: after },
    );
    const next = page.has_more ? page.data.at(-1)?.id : undefined;
    return renderPage(c, <MemberRewardsPage {...props} rewards={page.data} next={next} paged={after !== undefined} />);
  })
  .get("/member/:token/rewards/:reward", async (c) => rewardPage(c, await openSession(c), c.req.param("reward")))
  .post("/member/:token/rewards/:reward/redeem", async (c) => {
    const form = await formFields(c);
    const session = await openSession(c, form);
    const { deps, i18n } = c.var;
    const { props, access } = await shell(c, session);
    const reward = await memberReward(c, session, c.req.param("reward"));
    const values = typedValues(form, reward);
    const problems = typedProblems(i18n, reward, values, maxQuantity(reward, access.available));
    if (problems.length > 0) return rewardPage(c, session, reward.id, { values, problems }, 400);
    const quantity = Number(values.quantity);
    const delivery = deliveryOf(reward, values);
    try {
      const body = await submitOnce(
        deps,
        {
          partnerId: session.partnerId,
          key: form[formKeyField],
          request: { redeem: reward.id, program: session.programId, member: session.externalId, quantity, delivery },
        },
        (record) =>
          placeRedemption(
            deps,
            { access, partnerId: session.partnerId, rewardId: reward.id, quantity, delivery },
            record,
          ),
      );
      const { id } = JSON.parse(body) as { id: string };
      return c.redirect(`/portal/member/${props.token}/orders/${id}`, 303);
    } catch (error) {
      if (!(error instanceof ApiError) || error.code === "not_found") throw error;
      const refusal = orderRefusal(i18n, error, reward, quantity, props.program);
      return rewardPage(c, session, reward.id, { values, problems: [refusal] }, statusOf(error));
    }
  })
  .get("/member/:token/orders/:order", async (c) => {
    const session = await openSession(c);
    const { deps } = c.var;
    const id = c.req.param("order");
    const order = await getRedemption(deps, { partnerId: session.partnerId }, id);
    // A token shows only its own member's orders in its program.
    if (order.redemption.programId !== session.programId || order.externalId !== session.externalId)
      throw new ApiError("not_found", `No order ${id}.`);
    const { props } = await shell(c, session);
    const reward = await getReward(deps, { partnerId: session.partnerId }, order.redemption.rewardId);
    return renderPage(c, <MemberOrderPage {...props} order={order} reward={reward} />);
  });
