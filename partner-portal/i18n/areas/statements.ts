import { area } from "../area";

/** The statements messages. */
export const statementsMessages = area({ en: {}, "pt-BR": {}, ru: {} });
