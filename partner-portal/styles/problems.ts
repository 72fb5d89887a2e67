/** The problems rules of the portal's stylesheet. */
export const problemsCss = ``;
