import { listStatementsPage } from "../../gateway/src/db/queries/settlements";
import { statementFile } from "../../gateway/src/domain/settlement/file";
import { findStatement } from "../../gateway/src/domain/settlement/find";
import type { StatementDocument } from "../../gateway/src/domain/settlement/statements";
import { summarise } from "../../gateway/src/domain/settlement/summary";
import { createPortalRouter, partnerOf, requireRole } from "../context";
import { StatementPage, StatementsPage } from "../pages/statements";
import { renderPage } from "../render";

/** The partner's statements: every role reads them; finance and admin download them (the PDF in their language). */
export const statementRoutes = createPortalRouter()
  .get("/statements", requireRole("admin", "finance", "viewer"), async (c) => {
    const { data } = await listStatementsPage(c.var.deps.db, { limit: 200 }, { partnerId: partnerOf(c) });
    const now = c.var.deps.clock.now();
    const statements = data.map(({ statement }) => {
      const document = JSON.parse(statement.document) as StatementDocument;
      return { document, summary: summarise(document, now) };
    });
    return renderPage(c, <StatementsPage statements={statements} />);
  })
  .get("/statements/:file{stm_[0-9a-z]+\\.(?:csv|pdf)}", requireRole("admin", "finance"), async (c) => {
    const file = c.req.param("file");
    const format = file.endsWith(".csv") ? "csv" : "pdf";
    const statement = await findStatement(c.var.deps, file.slice(0, -4), partnerOf(c));
    const download = await statementFile(statement, format, { now: c.var.deps.clock.now(), locale: c.var.i18n.locale });
    return c.body(download.body, 200, download.headers);
  })
  .get("/statements/:id{stm_[0-9a-z]+}", requireRole("admin", "finance", "viewer"), async (c) => {
    const statement = await findStatement(c.var.deps, c.req.param("id"), partnerOf(c));
    return renderPage(
      c,
      <StatementPage statement={statement} summary={summarise(statement, c.var.deps.clock.now())} />,
    );
  });
