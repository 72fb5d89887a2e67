import { area } from "../area";

/** The dashboard messages. */
export const dashboardMessages = area({ en: {}, "pt-BR": {}, ru: {} });
