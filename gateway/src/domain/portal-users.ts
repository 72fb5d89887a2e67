import { hashPassword } from "../auth/passwords";
import { randomToken, sha256Hex } from "../auth/secrets";
import { findPortalUserEmail, insertPortalUser } from "../db/queries/portal-users";
import type { portalUsers } from "../db/schema";
import { asConstraintViolation } from "../db/writer";
import type { Deps } from "../deps";
import { ApiError } from "../errors";
import { findPartner } from "./partners";

export type PortalUser = typeof portalUsers.$inferSelect;
export type PortalRole = PortalUser["role"];

const setPasswordLinkTtlMs = 72 * 3600_000;

/**
 * Adds a portal user to a partner. With a password it is hashed (PBKDF2); without one, a single-use
 * set-password token is returned for the link, and only its hash is kept.
 */
export async function createPortalUser(
  deps: Pick<Deps, "db" | "clock" | "ids">,
  partnerId: string,
  input: { email: string; role: PortalRole; password?: string },
): Promise<{ user: PortalUser; setPasswordToken?: string }> {
  await findPartner(deps.db, partnerId);
  const email = input.email.toLowerCase();
  if (await findPortalUserEmail(deps.db, [email]))
    throw new ApiError("conflict", `A portal user with the email ${email} already exists.`);
  const now = deps.clock.now();
  const setPasswordToken = input.password ? undefined : randomToken(32);
  const user: PortalUser = {
    id: deps.ids("usr"),
    partnerId,
    email,
    role: input.role,
    passwordHash: input.password ? await hashPassword(input.password) : null,
    setPasswordTokenHash: setPasswordToken ? sha256Hex(setPasswordToken) : null,
    setPasswordExpiresAt: setPasswordToken ? new Date(now.getTime() + setPasswordLinkTtlMs) : null,
    createdAt: now,
  };
  // The check above gives the friendly answer; the UNIQUE index settles a race between two requests.
  await insertPortalUser(deps.db, user).catch((error: unknown) => {
    throw asConstraintViolation(error)?.kind === "unique"
      ? new ApiError("conflict", `A portal user with the email ${email} already exists.`)
      : error;
  });
  return { user, setPasswordToken };
}
