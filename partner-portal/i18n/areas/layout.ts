import { area } from "../area";

/** The layout messages. */
export const layoutMessages = area({ en: {}, "pt-BR": {}, ru: {} });
