import { credentialsMessages } from "./areas/credentials";
import { dashboardMessages } from "./areas/dashboard";
import { layoutMessages } from "./areas/layout";
import { memberMessages } from "./areas/member";
import { memberActionsMessages } from "./areas/member-actions";
import { operatorMessages } from "./areas/operator";
import { problemsMessages } from "./areas/problems";
import { promotionsMessages } from "./areas/promotions";
import { reportsMessages } from "./areas/reports";
import { rewardsMessages } from "./areas/rewards";
import { segmentsMessages } from "./areas/segments";
import { statementsMessages } from "./areas/statements";
import { tiersMessages } from "./areas/tiers";
import { webhooksMessages } from "./areas/webhooks";
import { en } from "./en";
import { ptBR } from "./pt-BR";
import { ru } from "./ru";

/** Every message of the portal, by language: the core catalogues and each area's. */
export const catalogs = {
  en: {
    ...en,
    ...credentialsMessages.en,
    ...dashboardMessages.en,
    ...layoutMessages.en,
    ...memberMessages.en,
    ...memberActionsMessages.en,
    ...operatorMessages.en,
    ...problemsMessages.en,
    ...statementsMessages.en,
    ...tiersMessages.en,
    ...segmentsMessages.en,
    ...promotionsMessages.en,
    ...rewardsMessages.en,
    ...reportsMessages.en,
    ...webhooksMessages.en,
  },
  "pt-BR": {
    ...ptBR,
    ...credentialsMessages["pt-BR"],
    ...dashboardMessages["pt-BR"],
    ...layoutMessages["pt-BR"],
    ...memberMessages["pt-BR"],
    ...memberActionsMessages["pt-BR"],
    ...operatorMessages["pt-BR"],
    ...problemsMessages["pt-BR"],
    ...statementsMessages["pt-BR"],
    ...tiersMessages["pt-BR"],
    ...segmentsMessages["pt-BR"],
    ...promotionsMessages["pt-BR"],
    ...rewardsMessages["pt-BR"],
    ...reportsMessages["pt-BR"],
    ...webhooksMessages["pt-BR"],
  },
  ru: {
    ...ru,
    ...credentialsMessages.ru,
    ...dashboardMessages.ru,
    ...layoutMessages.ru,
    ...memberMessages.ru,
    ...memberActionsMessages.ru,
    ...operatorMessages.ru,
    ...problemsMessages.ru,
    ...statementsMessages.ru,
    ...tiersMessages.ru,
    ...segmentsMessages.ru,
    ...promotionsMessages.ru,
    ...rewardsMessages.ru,
    ...reportsMessages.ru,
    ...webhooksMessages.ru,
  },
};

export type MessageKey = keyof typeof catalogs.en;
