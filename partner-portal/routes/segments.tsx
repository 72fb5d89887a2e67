import { ownedSegmentCsv, ownedSegments } from "../../gateway/src/domain/segments/owned";
import { createPortalRouter, partnerOf, requireRole } from "../context";
import { SegmentsPage } from "../pages/segments";
import { renderPage } from "../render";

/**
 * The Segments page, which every role of a partner reads: the segments and RFM scoring of the programs the
 * partner owns. Finance and admin download a segment's members as CSV, the very file of
 * GET /v1/segments/{id}/members.csv, as they download statements; a segment of a program the partner does not
 * own answers 404, even with an agreement in it.
 */
export const segmentRoutes = createPortalRouter()
  .get("/segments", requireRole("admin", "finance", "viewer"), async (c) =>
    renderPage(c, <SegmentsPage programs={await ownedSegments(c.var.deps, partnerOf(c))} />),
  )
  .get("/segments/:file{seg_[0-9a-z]+\\.csv}", requireRole("admin", "finance"), async (c) => {
    const { segment, csv } = await ownedSegmentCsv(c.var.deps, partnerOf(c), c.req.param("file").slice(0, -4));
    return c.body(csv, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${segment.id}-members.csv"`,
    });
  });
