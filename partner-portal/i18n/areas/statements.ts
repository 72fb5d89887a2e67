import { statementMessages } from "../../../gateway/src/domain/settlement/wording";
import { area } from "../area";

/**
 * The statements messages: the statement's own words (gateway/src/domain/settlement/wording.ts, shared with
 * the PDF so a page and its file say the same) and the pages' own.
 */
export const statementsMessages = area({
  en: {
    ...statementMessages.en,
    "statements.heading": "Statement for {period}",
    "statements.signed": "Amounts from your side: positive, owed to you; negative, you owe. They add up to the net.",
    "statements.openPeriod": "View the statement for {period}",
  },
  "pt-BR": {
    ...statementMessages["pt-BR"],
    "statements.heading": "Extrato de {period}",
    "statements.signed": "Valores do seu ponto de vista: positivos, a receber; negativos, a pagar. A soma é o saldo.",
    "statements.openPeriod": "Ver o extrato de {period}",
  },
  ru: {
    ...statementMessages.ru,
    "statements.heading": "Выписка за {period}",
    "statements.signed": "Суммы с вашей стороны: плюс — должны вам, минус — должны вы. В сумме они дают итог.",
    "statements.openPeriod": "Открыть выписку за {period}",
  },
});
