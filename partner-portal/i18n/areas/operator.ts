import { area } from "../area";

/** The operator messages. */
export const operatorMessages = area({ en: {}, "pt-BR": {}, ru: {} });
