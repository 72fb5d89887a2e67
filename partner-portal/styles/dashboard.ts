/** The dashboard rules of the portal's stylesheet. */
export const dashboardCss = ``;
