/** The statements rules of the portal's stylesheet. */
export const statementsCss = ``;
