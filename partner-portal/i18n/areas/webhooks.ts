import { area } from "../area";

/** The webhooks messages. */
export const webhooksMessages = area({ en: {}, "pt-BR": {}, ru: {} });
