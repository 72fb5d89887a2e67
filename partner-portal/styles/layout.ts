/** The layout rules of the portal's stylesheet. */
export const layoutCss = ``;
