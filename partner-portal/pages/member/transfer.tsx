import type { transferBody } from "../../../gateway/src/domain/transfers/transfer";
import { ErrorSummary, Field } from "../../components/field";
import { Csrf } from "../../components/layout";
import type { I18n } from "../../i18n";
import type { FormProblem } from "../../problems";
import { useI18n } from "../../render";
import { Receipt } from "./receipt";
import { MemberShell, type MemberShellProps, pointsOf, zoned, zonedDate } from "./shell";

/**
 * Giving points to another member of the program, on a phone first: the program's rules in words before anything
 * is typed (the minimum, the fee, what is left of the monthly maximum, the membership age), a form whose amount's
 * min and max say the same, and a receipt (a transfer held for review reads as pending). No form while transfers
 * are off, or while the member may not send yet.
 */

/** The program's transfer rules as they apply to this member now. */
export type TransferRulesView = {
  enabled: boolean;
  minPoints: number;
  feeBps: number;
  maxPerMonth: number | null;
  /** What the member may still send this calendar month (program's time zone); null: no maximum. */
  leftThisMonth: number | null;
  minMembershipDays: number;
  /** When the member may first send, while that is still to come. */
  sendableFrom: Date | null;
};

export type TransferField = "to_external_id" | "points";

/** What the member typed, and what is wrong with it. */
export type TransferForm = { values: Partial<Record<TransferField, string>>; problems: FormProblem[] };

/** The most the member may send now: their balance, and what is left of the month's maximum. */
export const sendableMax = (rules: TransferRulesView, available: number) =>
  Math.min(available, rules.leftThisMonth ?? available);

const days = (i18n: I18n, count: number) =>
  new Intl.NumberFormat(i18n.locale, { style: "unit", unit: "day", unitDisplay: "long" }).format(count);

/** Each rule in a sentence, marked (`data-rule`) for whoever reads the page back. */
function RulesList(props: { rules: TransferRulesView; program: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { rules } = props;
  return (
    <ul class="member-facts">
      <li data-rule="min">
        {t("memberActions.transfer.min", { points: pointsOf(i18n, rules.minPoints, props.program) })}
      </li>
      <li data-rule="fee">
        {rules.feeBps === 0
          ? t("memberActions.transfer.noFee")
          : t("memberActions.transfer.fee", { percent: i18n.percent(rules.feeBps / 10_000) })}
      </li>
      <li data-rule="month">
        {rules.maxPerMonth === null
          ? t("memberActions.transfer.noMonthly")
          : t("memberActions.transfer.monthly", {
              max: i18n.number(rules.maxPerMonth),
              left: i18n.number(rules.leftThisMonth ?? rules.maxPerMonth),
            })}
      </li>
      {rules.minMembershipDays > 0 ? (
        <li data-rule="age">{t("memberActions.transfer.age", { age: days(i18n, rules.minMembershipDays) })}</li>
      ) : null}
    </ul>
  );
}

/** Why the member cannot send now, or nothing when they can. */
function closedReason(i18n: I18n, rules: TransferRulesView, available: number, timezone: string) {
  const { t } = i18n;
  if (rules.sendableFrom)
    return t("memberActions.transfer.notYet", { date: zonedDate(i18n, timezone, rules.sendableFrom) });
  if (rules.leftThisMonth !== null && rules.leftThisMonth < rules.minPoints)
    return t("memberActions.transfer.monthDone");
  if (available < rules.minPoints)
    return t("memberActions.transfer.lowBalance", {
      min: i18n.number(rules.minPoints),
      available: i18n.number(available),
    });
  return undefined;
}

/** The rules in words and the form, or why there is no form. */
export function MemberTransferPage(
  props: MemberShellProps & { csrf: string; formKey: string; rules: TransferRulesView; form?: TransferForm },
) {
  const i18n = useI18n();
  const { t } = i18n;
  const { rules, form } = props;
  const path = `/portal/member/${props.token}/transfer`;
  const title = t("memberActions.transfer.title");
  if (!rules.enabled)
    return (
      <MemberShell {...props} title={title} path={path}>
        <ErrorSummary problems={form?.problems} />
        <p class="alert member-error" data-transfer="disabled">
          {t("memberActions.transfer.disabled")}
        </p>
      </MemberShell>
    );
  const closed = closedReason(i18n, rules, props.available, props.timezone);
  const max = sendableMax(rules, props.available);
  const typed = form?.values ?? {};
  return (
    <MemberShell {...props} title={title} path={path}>
      <ErrorSummary problems={form?.problems} />
      <p>{t("memberActions.transfer.intro", { program: props.program })}</p>
      <RulesList rules={rules} program={props.program} />
      {closed ? (
        <p class="alert member-error" data-transfer="closed">
          {closed}
        </p>
      ) : (
        <form method="post" action={path} class="stack member-form member-framed">
          <Csrf token={props.csrf} />
          <input type="hidden" name="form_key" value={props.formKey} />
          <Field
            name="to_external_id"
            label={t("memberActions.transfer.recipient", { program: props.program })}
            autocomplete="off"
            maxlength={128}
            required
            value={typed.to_external_id ?? ""}
            problems={form?.problems}
          />
          <Field
            name="points"
            label={t("memberActions.transfer.points")}
            hint={t("memberActions.transfer.range", { min: i18n.number(rules.minPoints), max: i18n.number(max) })}
            type="number"
            inputmode="numeric"
            min={rules.minPoints}
            max={max}
            step={1}
            required
            value={typed.points ?? ""}
            problems={form?.problems}
          />
          <button type="submit">{t("memberActions.transfer.send")}</button>
        </form>
      )}
    </MemberShell>
  );
}

export type TransferReceiptView = ReturnType<typeof transferBody>;

const outcomeKinds = { completed: "ok", held: "pending", rejected: "error" } as const;

/** A transfer's receipt: its outcome in words (held for review as pending), the recipient and what moved. */
export function MemberTransferReceiptPage(props: MemberShellProps & { transfer: TransferReceiptView }) {
  const i18n = useI18n();
  const { t } = i18n;
  const tr = props.transfer;
  const sent = pointsOf(i18n, tr.points, props.program);
  const received = pointsOf(i18n, tr.received_points, props.program);
  const lines = [
    { label: t("memberActions.receipt.reference"), value: <code>{tr.id}</code>, name: "reference" },
    {
      label: t("memberActions.receipt.when"),
      value: zoned(i18n, props.timezone, new Date(tr.created_at)),
      name: "when",
    },
    { label: t("memberActions.transfer.to"), value: <code>{tr.to_external_id}</code>, name: "recipient" },
    { label: t("memberActions.transfer.sent"), value: sent, name: "sent" },
    { label: t("memberActions.transfer.feeLine"), value: pointsOf(i18n, tr.fee_points, props.program), name: "fee" },
    { label: t("memberActions.transfer.received"), value: received, name: "received" },
    {
      label: t("memberActions.receipt.status"),
      value: t(`memberActions.transfer.status.${tr.status}`),
      name: "status",
    },
  ];
  return (
    <MemberShell
      {...props}
      title={t(`memberActions.transfer.title.${tr.status}`)}
      path={`/portal/member/${props.token}/transfers/${tr.id}`}
    >
      <Receipt
        outcome={{
          kind: outcomeKinds[tr.status],
          text: t(`memberActions.transfer.outcome.${tr.status}`, { sent, received, to: tr.to_external_id }),
        }}
        lines={lines}
      />
      <p>
        <a class="button" href={`/portal/member/${props.token}/transfer`}>
          {t("memberActions.transfer.again")}
        </a>
      </p>
    </MemberShell>
  );
}
