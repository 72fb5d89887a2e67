/** The webhooks rules of the portal's stylesheet. */
export const webhooksCss = ``;
