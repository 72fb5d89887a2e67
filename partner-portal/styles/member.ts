/** The member rules of the portal's stylesheet. */
export const memberCss = ``;
