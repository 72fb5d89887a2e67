import { area } from "../area";

/** The member messages. */
export const memberMessages = area({ en: {}, "pt-BR": {}, ru: {} });
