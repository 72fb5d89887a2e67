import type { Delivery } from "../../gateway/src/domain/redemptions/redemption";
import type { PortalOrder, QueuedOrder } from "../../gateway/src/domain/rewards-portal/queue";
import { ErrorSummary, Field } from "../components/field";
import { Alert, Csrf, Layout } from "../components/layout";
import { RewardsNav } from "../components/rewards-nav";
import { enumLabel, type FormProblem } from "../problems";
import { useI18n, useSignedIn } from "../render";
import { rewardName } from "./rewards";

/**
 * The rewards Orders pages: the queue of pending orders the partner fulfils (oldest first, as cards, each with its
 * member, reward, quantity and delivery address, and for admins the Fulfil and Cancel forms), and one order with
 * its outcome (fulfilled with its tracking reference, cancelled with its reason) or the same forms while pending.
 */

/** What was typed into an order's forms, kept when one is refused. */
export type OrderForms = { trackingReference: string; reason: string };

/** Where an order goes, as an address is written: one line a part, the phone last. */
function Address(props: { delivery: Delivery | null }) {
  const { t } = useI18n();
  const { delivery } = props;
  if (!delivery) return <span class="muted">{t("orders.noDelivery")}</span>;
  const lines = [
    delivery.name,
    ...delivery.address_lines,
    `${delivery.postal_code} ${delivery.city}`,
    delivery.country,
    ...(delivery.phone ? [delivery.phone] : []),
  ];
  return (
    <address data-delivery>
      {lines.map((line) => (
        <span class="block">{line}</span>
      ))}
    </address>
  );
}

/** An order's facts: the order, program, member, reward, quantity and points, when it came, where it goes. */
function OrderFacts(props: { order: QueuedOrder; link?: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { order } = props;
  return (
    <dl class="facts">
      <div>
        <dt>{t("orders.order")}</dt>
        <dd>{props.link ? <a href={`/portal/rewards/orders/${order.id}`}>{order.id}</a> : <code>{order.id}</code>}</dd>
      </div>
      <div>
        <dt>{t("orders.program")}</dt>
        <dd>{order.program.name}</dd>
      </div>
      <div>
        <dt>{t("orders.member")}</dt>
        <dd data-fact="member">{order.externalId}</dd>
      </div>
      <div>
        <dt>{t("orders.reward")}</dt>
        <dd data-fact="reward">
          {rewardName(i18n, order.reward)} <code class="muted">{order.reward.sku}</code>
        </dd>
      </div>
      <div>
        <dt>{t("orders.quantity")}</dt>
        <dd data-fact="quantity">{i18n.number(order.quantity)}</dd>
      </div>
      <div>
        <dt>{t("orders.points")}</dt>
        <dd>{i18n.number(order.points)}</dd>
      </div>
      <div>
        <dt>{t("orders.placed")}</dt>
        <dd>{i18n.dateTime(order.createdAt)}</dd>
      </div>
      <div>
        <dt>{t("orders.deliverTo")}</dt>
        <dd>
          <Address delivery={order.delivery} />
        </dd>
      </div>
    </dl>
  );
}

/**
 * The Fulfil form (an optional tracking reference) and the Cancel form (a reason), for an admin: each its own
 * POST, answered by a redirect to the order. Fulfil only for the program's owner and the fulfilling partner.
 */
function OrderActions(props: { orderId: string; mayFulfil: boolean; typed?: OrderForms; problems?: FormProblem[] }) {
  const { t } = useI18n();
  const session = useSignedIn();
  if (session.role !== "admin") return <p class="muted">{t("orders.adminOnly")}</p>;
  const base = `/portal/rewards/orders/${props.orderId}`;
  const idPrefix = `order-${props.orderId}`;
  return (
    <div class="order-actions">
      {props.mayFulfil ? (
        <form method="post" action={`${base}/fulfil`} class="step" novalidate>
          <Csrf token={session.csrfToken} />
          <Field
            name="tracking_reference"
            label={t("orders.tracking")}
            idPrefix={idPrefix}
            value={props.typed?.trackingReference ?? ""}
            maxlength={200}
            autocomplete="off"
            problems={props.problems}
          />
          <button type="submit">{t("orders.fulfil")}</button>
        </form>
      ) : null}
      <form method="post" action={`${base}/cancel`} class="step" novalidate>
        <Csrf token={session.csrfToken} />
        <Field
          name="reason"
          label={t("orders.reason")}
          idPrefix={idPrefix}
          value={props.typed?.reason ?? ""}
          maxlength={500}
          required
          autocomplete="off"
          problems={props.problems}
        />
        <button type="submit" class="secondary">
          {t("orders.cancel")}
        </button>
      </form>
    </div>
  );
}

/** The pending orders the partner fulfils, oldest first. */
export function OrdersPage(props: { orders: QueuedOrder[]; more: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <Layout title={t("orders.title")} path="/portal/rewards/orders">
      <RewardsNav current="/portal/rewards/orders" />
      <p class="performance-intro">{t("orders.intro")}</p>
      {props.orders.length === 0 ? <p data-empty="orders">{t("orders.empty")}</p> : null}
      {props.orders.map((order) => {
        const headingId = `order-${order.id}`;
        return (
          <article class="card order" aria-labelledby={headingId} data-order={order.id}>
            <h2 id={headingId}>
              {t("orders.cardTitle", { reward: rewardName(i18n, order.reward), quantity: i18n.number(order.quantity) })}
            </h2>
            <OrderFacts order={order} link />
            <OrderActions orderId={order.id} mayFulfil />
          </article>
        );
      })}
      {props.more ? <p class="muted">{t("orders.more", { count: props.orders.length })}</p> : null}
    </Layout>
  );
}

/** How an order ended, in words: fulfilled (when, with what reference), cancelled (when, why), returned, ... */
function Outcome(props: { order: PortalOrder }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { order } = props;
  const status = enumLabel(i18n, "redemptionStatus", order.status);
  const lines: string[] = [];
  if (order.fulfilledAt) lines.push(t("orders.fulfilledAt", { date: i18n.dateTime(order.fulfilledAt) }));
  if (order.trackingReference) lines.push(t("orders.trackingIs", { reference: order.trackingReference }));
  if (order.cancelledAt) lines.push(t("orders.cancelledAt", { date: i18n.dateTime(order.cancelledAt) }));
  if (order.returnedAt) lines.push(t("orders.returnedAt", { date: i18n.dateTime(order.returnedAt) }));
  if (order.cancelReason) lines.push(t("orders.reasonIs", { reason: order.cancelReason }));
  return (
    <div class="card order-outcome" data-status={order.status}>
      <p data-fact="status">
        {t("orders.status")}: <strong>{status}</strong>
      </p>
      {lines.map((line) => (
        <p>{line}</p>
      ))}
    </div>
  );
}

/** One order: its outcome and facts, and while pending the forms that fulfil or cancel it. */
export function OrderPage(props: {
  order: PortalOrder;
  done?: "fulfilled" | "cancelled";
  typed?: OrderForms;
  problems?: FormProblem[];
}) {
  const { t } = useI18n();
  const { order } = props;
  return (
    <Layout title={t("orders.orderTitle", { id: order.id })} path="/portal/rewards/orders">
      <p>
        <a href="/portal/rewards/orders">{t("orders.back")}</a>
      </p>
      <ErrorSummary problems={props.problems} idPrefix={`order-${order.id}`} />
      {props.done ? <Alert kind="ok">{t(`orders.done.${props.done}`)}</Alert> : null}
      <Outcome order={order} />
      <OrderFacts order={order} />
      {order.status === "pending" ? (
        <OrderActions orderId={order.id} mayFulfil={order.mayFulfil} typed={props.typed} problems={props.problems} />
      ) : null}
    </Layout>
  );
}
