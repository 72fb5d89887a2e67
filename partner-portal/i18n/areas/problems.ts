import { area } from "../area";

/** The problems messages. */
export const problemsMessages = area({ en: {}, "pt-BR": {}, ru: {} });
