import { sumSentInMonth } from "../../../gateway/src/db/queries/transfers";
import type { Deps } from "../../../gateway/src/deps";
import type { MemberAccess } from "../../../gateway/src/domain/access";
import type { MemberSession } from "../../../gateway/src/domain/member-sessions";
import { createTransfer } from "../../../gateway/src/domain/transfers/create";
import { findTransferForPartner } from "../../../gateway/src/domain/transfers/find";
import { transferRulesOf } from "../../../gateway/src/domain/transfers/rules";
import { monthIn } from "../../../gateway/src/domain/transfers/transfer";
import { ApiError } from "../../../gateway/src/errors";
import { createPortalRouter } from "../../context";
import { formFields } from "../../form";
import type { I18n } from "../../i18n";
import { pointsOf } from "../../pages/member/shell";
import {
  MemberTransferPage,
  MemberTransferReceiptPage,
  type TransferForm,
  type TransferRulesView,
} from "../../pages/member/transfer";
import type { FormProblem } from "../../problems";
import { renderPage } from "../../render";
import { formKeyField, newFormKey, submitOnce } from "./form-key";
import { memberRefusal } from "./refusals";
import { type MemberContext, openSession, type Status, shell, statusOf } from "./session";

/**
 * The member gives points to another member of the program: the rules as they apply to them now, the form, the
 * transfer made through the same atomic write as the API's (`createTransfer`, the session's partner making it, the
 * form's key as its Idempotency-Key), and its receipt. A token shows only the transfers its member sent.
 */

const dayMs = 86_400_000;

/** The program's rules as they apply to the member at `now`: what is left of the month, when they may first send. */
async function rulesView(deps: Pick<Deps, "reader">, access: MemberAccess, now: Date): Promise<TransferRulesView> {
  const rules = await transferRulesOf(deps.reader, access.program.id);
  const max = rules.maxPointsPerMemberPerMonth;
  const sent =
    max === null ? 0 : await sumSentInMonth(deps.reader, access.member.id, monthIn(access.program.timezone, now));
  const from = new Date(access.member.createdAt.getTime() + rules.minMembershipDays * dayMs);
  return {
    enabled: rules.enabled,
    minPoints: rules.minPoints,
    feeBps: rules.feeBps,
    maxPerMonth: max,
    leftThisMonth: max === null ? null : Math.max(0, max - sent),
    minMembershipDays: rules.minMembershipDays,
    sendableFrom: from > now ? from : null,
  };
}

/** The transfer page with a new form key, as typed and with its problems when given. */
async function transferPage(c: MemberContext, session: MemberSession, form?: TransferForm, status: Status = 200) {
  const { props, access, now } = await shell(c, session);
  const rules = await rulesView(c.var.deps, access, now);
  return renderPage(
    c,
    <MemberTransferPage {...props} csrf={session.csrfToken} formKey={newFormKey()} rules={rules} form={form} />,
    status,
  );
}

/** What is wrong with the typed values before the transfer is tried. */
function typedProblems(i18n: I18n, rules: TransferRulesView, values: TransferForm["values"]): FormProblem[] {
  const { t } = i18n;
  const problems: FormProblem[] = [];
  if (!values.to_external_id)
    problems.push({ field: "to_external_id", message: t("memberActions.transfer.error.recipient") });
  const points = Number(values.points);
  if (!Number.isSafeInteger(points) || points < rules.minPoints)
    problems.push({
      field: "points",
      message: t("memberActions.transfer.error.points", { min: i18n.number(rules.minPoints) }),
    });
  return problems;
}

/** A refused transfer in the member's words: beside the field the member can change, else at the top. */
function transferRefusal(
  i18n: I18n,
  error: ApiError,
  typed: { to: string; points: number; program: string },
): FormProblem {
  const { t } = i18n;
  const recipient = (message: string): FormProblem => ({ field: "to_external_id", message });
  const points = (message: string): FormProblem => ({ field: "points", message });
  switch (error.code) {
    case "validation_failed":
      if (error.options.errors?.some((e) => e.path === "to_external_id"))
        return recipient(t("memberActions.transfer.error.self"));
      // The minimum was checked before: what is left is an amount the fee would swallow.
      if (error.options.errors?.some((e) => e.path === "points")) return points(t("memberActions.transfer.error.fee"));
      return memberRefusal(i18n, error);
    case "not_found":
    // An erased member keeps its number but takes nothing: to the sender it is no member.
    case "invalid_state":
      return recipient(t("memberActions.transfer.error.unknown", { program: typed.program, id: typed.to }));
    case "insufficient_points":
      return points(t("memberActions.transfer.error.balance", { points: pointsOf(i18n, typed.points, typed.program) }));
    case "limit_exceeded":
      return points(t("memberActions.transfer.error.month"));
    case "not_eligible":
      return { message: t("memberActions.transfer.error.tooNew") };
    case "transfers_disabled":
      return { message: t("memberActions.transfer.disabled") };
    default:
      return memberRefusal(i18n, error);
  }
}

export const transferRoutes = createPortalRouter()
  .get("/member/:token/transfer", async (c) => transferPage(c, await openSession(c)))
  .post("/member/:token/transfer", async (c) => {
    const form = await formFields(c);
    const session = await openSession(c, form);
    const { deps, i18n } = c.var;
    const { props, access, now } = await shell(c, session);
    const values = { to_external_id: (form.to_external_id ?? "").trim(), points: (form.points ?? "").trim() };
    const problems = typedProblems(i18n, await rulesView(deps, access, now), values);
    if (problems.length > 0) return transferPage(c, session, { values, problems }, 400);
    const to = values.to_external_id;
    const points = Number(values.points);
    const key = form[formKeyField];
    try {
      const body = await submitOnce(
        deps,
        {
          partnerId: session.partnerId,
          key,
          request: { transfer: session.programId, from: session.externalId, to, points },
        },
        (record) =>
          createTransfer(
            deps,
            { access, partnerId: session.partnerId, toExternalId: to, points, reference: `member-page:${key}` },
            record,
          ),
      );
      const { id } = JSON.parse(body) as { id: string };
      return c.redirect(`/portal/member/${props.token}/transfers/${id}`, 303);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const refusal = transferRefusal(i18n, error, { to, points, program: props.program });
      // An unknown number is the form's problem, not a missing page.
      return transferPage(
        c,
        session,
        { values, problems: [refusal] },
        error.code === "not_found" ? 400 : statusOf(error),
      );
    }
  })
  .get("/member/:token/transfers/:transfer", async (c) => {
    const session = await openSession(c);
    const id = c.req.param("transfer");
    const transfer = await findTransferForPartner(c.var.deps.reader, id, session.partnerId);
    // A token shows only the transfers its own member sent in its program.
    if (transfer.program_id !== session.programId || transfer.from_external_id !== session.externalId)
      throw new ApiError("not_found", `No transfer ${id}.`);
    const { props } = await shell(c, session);
    return renderPage(c, <MemberTransferReceiptPage {...props} transfer={transfer} />);
  });
