import type { Delivery, Redemption, RedemptionStatus } from "../../../gateway/src/domain/redemptions/redemption";
import type { CatalogueReward } from "../../../gateway/src/domain/rewards/catalogue";
import { ErrorSummary, Field } from "../../components/field";
import { Csrf } from "../../components/layout";
import type { I18n, MessageKey } from "../../i18n";
import type { FormProblem } from "../../problems";
import { useI18n } from "../../render";
import { rewardName } from "../rewards";
import { Receipt } from "./receipt";
import { MemberShell, type MemberShellProps, pointsOf, zoned } from "./shell";

/**
 * The rewards a member may redeem, on a phone first: each with its price and whether the balance covers it, in the
 * page's language; a reward's page with its redeem form (the quantity within its limits, an address for a product);
 * the order's receipt (its status in words, its voucher codes, the points spent). Plain forms, no script.
 */

const base = (token: string) => `/portal/member/${token}`;

/** A reward's description in the page's language when it has one, else as the catalogue wrote it. */
const rewardDescription = (i18n: I18n, reward: CatalogueReward) =>
  reward.translations[i18n.locale]?.description ?? reward.description;

/** Whether the balance covers one of the reward, or how many points are missing, in words. */
function coverText(i18n: I18n, price: number, available: number, program: string) {
  return price <= available
    ? i18n.t("memberActions.covered")
    : i18n.t("memberActions.short", { points: pointsOf(i18n, price - available, program) });
}

/** The rewards the member may redeem now (active, for their tier, in stock), a page at a time. */
export function MemberRewardsPage(
  props: MemberShellProps & { rewards: CatalogueReward[]; next?: string; paged: boolean },
) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <MemberShell {...props} title={t("memberActions.rewards.title")} path={`${base(props.token)}/rewards`}>
      <p>{t(props.rewards.length === 0 ? "memberActions.rewards.none" : "memberActions.rewards.intro")}</p>
      <ul class="member-rewards">
        {props.rewards.map((reward) => {
          const description = rewardDescription(i18n, reward);
          const covered = reward.pointsPrice <= props.available;
          return (
            <li class="member-reward" data-reward={reward.id}>
              <h2>
                <a href={`${base(props.token)}/rewards/${reward.id}`}>{rewardName(i18n, reward)}</a>
              </h2>
              {description ? <p>{description}</p> : null}
              <p class="member-price" data-price={reward.id}>
                {pointsOf(i18n, reward.pointsPrice, props.program)}
              </p>
              <p class={covered ? "member-covered" : "member-short"} data-covered={covered ? "yes" : "no"}>
                {coverText(i18n, reward.pointsPrice, props.available, props.program)}
              </p>
            </li>
          );
        })}
      </ul>
      {props.paged || props.next ? (
        <nav class="member-pager" aria-label={t("memberActions.rewards.pages")}>
          {props.paged ? <a href={`${base(props.token)}/rewards`}>{t("memberActions.rewards.first")}</a> : null}
          {props.next ? (
            <a href={`${base(props.token)}/rewards?starting_after=${props.next}`}>{t("memberActions.rewards.more")}</a>
          ) : null}
        </nav>
      ) : null}
    </MemberShell>
  );
}

/**
 * The address fields of a product's order, as the API's `delivery` takes them (its lengths); the second address
 * line and the phone may stay empty.
 */
export const deliveryFields = [
  { name: "name", label: "memberActions.delivery.name", autocomplete: "name", maxlength: 200 },
  { name: "address_line1", label: "memberActions.delivery.line1", autocomplete: "address-line1", maxlength: 200 },
  {
    name: "address_line2",
    label: "memberActions.delivery.line2",
    autocomplete: "address-line2",
    maxlength: 200,
    optional: true,
  },
  { name: "city", label: "memberActions.delivery.city", autocomplete: "address-level2", maxlength: 100 },
  { name: "postal_code", label: "memberActions.delivery.postalCode", autocomplete: "postal-code", maxlength: 20 },
  { name: "country", label: "memberActions.delivery.country", autocomplete: "country-name", maxlength: 100 },
  {
    name: "phone",
    label: "memberActions.delivery.phone",
    autocomplete: "tel",
    maxlength: 40,
    optional: true,
    type: "tel",
  },
] as const satisfies readonly {
  name: string;
  label: MessageKey;
  autocomplete: string;
  maxlength: number;
  optional?: true;
  type?: string;
}[];

export type RedeemField = "quantity" | (typeof deliveryFields)[number]["name"];

/** What the member typed into the redeem form, and what is wrong with it. */
export type RedeemForm = { values: Partial<Record<RedeemField, string>>; problems: FormProblem[] };

/** Whether the member may redeem the reward now, or why not (no form then). */
export type RedeemState = "open" | "notEligible" | "soldOut" | "short";

/** A product is sent somewhere: its order asks for an address. */
export const isShipped = (reward: CatalogueReward) => reward.type === "product";

/** The redeem form: the quantity within the reward's limits, an address for a product, the form's key. */
function RedeemFormView(props: {
  token: string;
  csrf: string;
  formKey: string;
  reward: CatalogueReward;
  program: string;
  maxQuantity: number;
  form?: RedeemForm;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { reward, form } = props;
  const typed = form?.values ?? {};
  return (
    <form
      method="post"
      action={`${base(props.token)}/rewards/${reward.id}/redeem`}
      class="stack member-form member-framed"
    >
      <Csrf token={props.csrf} />
      <input type="hidden" name="form_key" value={props.formKey} />
      <Field
        name="quantity"
        label={t("memberActions.quantity")}
        hint={t(props.maxQuantity === 1 ? "memberActions.quantityOne" : "memberActions.quantityHint", {
          max: i18n.number(props.maxQuantity),
          price: pointsOf(i18n, reward.pointsPrice, props.program),
        })}
        type="number"
        inputmode="numeric"
        min={1}
        max={props.maxQuantity}
        step={1}
        required
        value={typed.quantity ?? "1"}
        problems={form?.problems}
      />
      {isShipped(reward) ? (
        <fieldset class="member-delivery">
          <legend>{t("memberActions.delivery.title")}</legend>
          {deliveryFields.map((field) => (
            <Field
              name={field.name}
              label={t(field.label)}
              type={"type" in field ? field.type : "text"}
              autocomplete={field.autocomplete}
              maxlength={field.maxlength}
              required={!("optional" in field)}
              value={typed[field.name] ?? ""}
              problems={form?.problems}
            />
          ))}
        </fieldset>
      ) : null}
      <button type="submit">{t("memberActions.redeem")}</button>
    </form>
  );
}

const stateNotices = {
  notEligible: "memberActions.reward.notEligible",
  soldOut: "memberActions.reward.soldOut",
} as const;

/** How an order of the reward reaches the member. */
const deliveryNote = (reward: CatalogueReward): MessageKey =>
  reward.fulfilment === "code"
    ? "memberActions.reward.byCode"
    : isShipped(reward)
      ? "memberActions.reward.byPost"
      : "memberActions.reward.later";

/** A reward: its description, price, how it is delivered and its limits; the redeem form when the member may. */
export function MemberRewardPage(
  props: MemberShellProps & {
    csrf: string;
    formKey: string;
    reward: CatalogueReward;
    state: RedeemState;
    maxQuantity: number;
    form?: RedeemForm;
  },
) {
  const i18n = useI18n();
  const { t } = i18n;
  const { reward } = props;
  const description = rewardDescription(i18n, reward);
  const open = props.state === "open";
  // Without the form (the reward went out of reach meanwhile) a problem links to no field.
  const problems = open ? props.form?.problems : props.form?.problems.map(({ message }) => ({ message }));
  return (
    <MemberShell {...props} title={rewardName(i18n, reward)} path={`${base(props.token)}/rewards/${reward.id}`}>
      <ErrorSummary problems={problems} />
      {description ? <p>{description}</p> : null}
      <ul class="member-facts">
        <li data-price={reward.id}>
          {t("memberActions.reward.price", { points: pointsOf(i18n, reward.pointsPrice, props.program) })}
        </li>
        <li>{t(deliveryNote(reward))}</li>
        {reward.available === null ? null : (
          <li>{t("memberActions.reward.left", { count: i18n.number(reward.available) })}</li>
        )}
        {reward.perMemberLimit === null ? null : (
          <li>{t("memberActions.reward.perMember", { count: i18n.number(reward.perMemberLimit) })}</li>
        )}
      </ul>
      {props.state === "open" ? (
        <RedeemFormView {...props} />
      ) : (
        <p class="alert member-error" data-redeem="closed">
          {props.state === "short"
            ? coverText(i18n, reward.pointsPrice, props.available, props.program)
            : t(stateNotices[props.state])}
        </p>
      )}
      <p>
        <a class="member-back" href={`${base(props.token)}/rewards`}>
          {t("memberActions.rewards.back")}
        </a>
      </p>
    </MemberShell>
  );
}

const outcomeKinds: Record<RedemptionStatus, "ok" | "pending" | "error"> = {
  held: "pending",
  pending: "ok",
  fulfilled: "ok",
  cancelled: "error",
  returned: "ok",
  rejected: "error",
};

/** Where a product goes, a line each. */
function DeliveryLines(props: { delivery: Delivery }) {
  const d = props.delivery;
  const lines = [d.name, ...d.address_lines, `${d.postal_code} ${d.city}`, d.country, d.phone ?? ""].filter(Boolean);
  return <>{lines.map((line, index) => (index === 0 ? line : [<br />, line]))}</>;
}

const deliveryOf = (order: Redemption): Delivery | null =>
  order.redemption.delivery === null ? null : (JSON.parse(order.redemption.delivery) as Delivery);

/** An order's receipt: its outcome in words, the reward, the points spent, its voucher codes and address. */
export function MemberOrderPage(props: MemberShellProps & { order: Redemption; reward: CatalogueReward }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { redemption: order, codes } = props.order;
  const points = pointsOf(i18n, order.points, props.program);
  const delivery = deliveryOf(props.order);
  const lines = [
    { label: t("memberActions.receipt.reference"), value: <code>{order.id}</code>, name: "reference" },
    { label: t("memberActions.receipt.when"), value: zoned(i18n, props.timezone, order.createdAt), name: "when" },
    {
      label: t("memberActions.order.reward"),
      value: t("memberActions.order.rewardTimes", {
        name: rewardName(i18n, props.reward),
        quantity: i18n.number(order.quantity),
      }),
      name: "reward",
    },
    { label: t("memberActions.order.points"), value: points, name: "points" },
    {
      label: t("memberActions.receipt.status"),
      value: t(`memberActions.order.status.${order.status}`),
      name: "status",
    },
    ...(codes.length > 0
      ? [
          {
            label: t("memberActions.order.codes"),
            value: (
              <ul class="member-codes">
                {codes.map((code) => (
                  <li>
                    <code>{code}</code>
                  </li>
                ))}
              </ul>
            ),
            name: "codes",
          },
        ]
      : []),
    ...(delivery
      ? [{ label: t("memberActions.order.delivery"), value: <DeliveryLines delivery={delivery} />, name: "delivery" }]
      : []),
    ...(order.trackingReference
      ? [{ label: t("memberActions.order.tracking"), value: order.trackingReference, name: "tracking" }]
      : []),
  ];
  return (
    <MemberShell
      {...props}
      title={t(`memberActions.order.title.${order.status}`)}
      path={`${base(props.token)}/orders/${order.id}`}
    >
      <Receipt
        outcome={{
          kind: outcomeKinds[order.status],
          text: t(`memberActions.order.outcome.${order.status}`, { points }),
        }}
        lines={lines}
      />
      <p>
        <a class="button" href={`${base(props.token)}/rewards`}>
          {t("memberActions.rewards.back")}
        </a>
      </p>
    </MemberShell>
  );
}
