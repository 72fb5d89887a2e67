import type { Context } from "hono";
import { jsxRenderer, useRequestContext } from "hono/jsx-renderer";
import type { HtmlEscapedString } from "hono/utils/html";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { PortalSession } from "../gateway/src/domain/portal-sessions";
import { type PortalEnv, sessionOf } from "./context";
import type { I18n } from "./i18n";

/**
 * Every page goes through Hono's JSX renderer, which puts the request within reach of the components: the page
 * shell and the pages read the visitor's language and session with the hooks below instead of taking them as
 * props from every route. It also writes the doctype.
 */
export const portalRenderer = jsxRenderer();

/** Renders a page, with `status`, through the renderer. */
export function renderPage(
  c: Context<PortalEnv>,
  page: HtmlEscapedString | Promise<HtmlEscapedString>,
  status: ContentfulStatusCode = 200,
) {
  c.status(status);
  return c.render(page);
}

/** The language of the request being rendered. */
export const useI18n = (): I18n => useRequestContext<PortalEnv>().var.i18n;

/** The session of the request being rendered, if it has one (and once portalSession has read it). */
export const useSession = (): PortalSession | undefined => useRequestContext<PortalEnv>().var.session;

/** The business time of the request being rendered. */
export const useNow = (): Date => useRequestContext<PortalEnv>().var.deps.clock.now();

/** The signed-in session, on the pages of routes behind requireRole. */
export const useSignedIn = (): PortalSession => sessionOf(useRequestContext<PortalEnv>());
