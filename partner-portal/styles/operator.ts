/** The operator rules of the portal's stylesheet. */
export const operatorCss = ``;
