import { requireScope } from "../http/auth";

/**
 * Who reads what a program offers its partners (its rewards, its transfer rules): its owner (`programs:manage`), the
 * operator, and partners with an agreement in it that act for members (`members:read` or `points:burn`); the
 * domain then answers 404 to a partner without an agreement.
 */
export const programReaders = {
  security: [
    { bearerAuth: ["operator"] },
    { bearerAuth: ["programs:manage"] },
    { bearerAuth: ["members:read"] },
    { bearerAuth: ["points:burn"] },
  ],
  middleware: [requireScope("operator", "programs:manage", "members:read", "points:burn")],
};
