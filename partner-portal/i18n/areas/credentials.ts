import { area } from "../area";

/** The credentials messages. */
export const credentialsMessages = area({ en: {}, "pt-BR": {}, ru: {} });
