/** The credentials rules of the portal's stylesheet. */
export const credentialsCss = ``;
