import type { OwnedSegments } from "../../gateway/src/domain/segments/owned";
import type { Segment } from "../../gateway/src/domain/segments/segments";
import { Empty } from "../components/empty";
import { Layout } from "../components/layout";
import { RfmHeatmap } from "../components/rfm-heatmap";
import { TableWrap } from "../components/table";
import type { I18n } from "../i18n";
import { enumLabel } from "../problems";
import { useI18n, useSignedIn } from "../render";

/**
 * The Segments page, for the users of a partner that owns programs: per owned program its segments as last
 * counted (finance and admin download each one's members as CSV), and its RFM scoring with the R-by-F heat map.
 */

/** A number of days in words: "365 days", "365 dias", "365 дней". */
const days = (i18n: I18n, count: number) =>
  new Intl.NumberFormat(i18n.locale, { style: "unit", unit: "day", unitDisplay: "long" }).format(count);

/** A program's segments: name (and description), type, members, when counted, and the CSV for those who may. */
function SegmentTable(props: { program: OwnedSegments["program"]; segments: Segment[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const canDownload = useSignedIn().role !== "viewer";
  const columns = {
    type: t("segments.col.type"),
    members: t("segments.col.members"),
    countedAt: t("segments.col.countedAt"),
    download: t("segments.col.download"),
  };
  return (
    <>
      <TableWrap label={t("segments.tableLabel", { program: props.program.name })}>
        <table class="segments">
          <thead>
            <tr>
              <th scope="col">{t("segments.col.name")}</th>
              <th scope="col">{columns.type}</th>
              <th scope="col" class="num">
                {columns.members}
              </th>
              <th scope="col">{columns.countedAt}</th>
              {canDownload ? <th scope="col">{columns.download}</th> : null}
            </tr>
          </thead>
          <tbody>
            {props.segments.map((segment) => (
              <tr data-segment={segment.id}>
                <th scope="row">
                  {segment.name}
                  {segment.description ? <span class="segment-description">{segment.description}</span> : null}
                </th>
                <td data-label={columns.type} data-column="type">
                  {enumLabel(i18n, "segmentType", segment.type)}
                </td>
                <td class="num" data-label={columns.members} data-column="members">
                  {i18n.number(segment.memberCount)}
                </td>
                <td data-label={columns.countedAt} data-column="counted-at">
                  {segment.countedAt ? (
                    i18n.dateTime(segment.countedAt)
                  ) : (
                    <span class="muted">{t("segments.notCounted")}</span>
                  )}
                </td>
                {canDownload ? (
                  <td data-label={columns.download} data-column="download">
                    <a
                      href={`/portal/segments/${segment.id}.csv`}
                      download
                      aria-label={t("segments.downloadNamed", { segment: segment.name })}
                    >
                      {t("segments.download")}
                    </a>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <p class="muted">{t("segments.countedNote")}</p>
    </>
  );
}

/** A program's last RFM scoring: when, how many, the heat map, and the eleven segments with their share. */
function Rfm(props: { owned: OwnedSegments }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { program, rfm } = props.owned;
  if (!rfm.computedAt)
    return (
      <Empty
        class="segments-empty"
        kind="rfm"
        say={t("rfm.never", { program: program.name })}
        how={t("rfm.neverHow")}
        request={`POST /v1/programs/${program.id}/rfm/recompute`}
      />
    );
  const columns = { members: t("rfm.col.members"), share: t("rfm.col.share") };
  return (
    <>
      <dl class="cards">
        <div class="card" data-card="computed-at">
          <dt>{t("rfm.computedAt")}</dt>
          <dd class="small">{i18n.dateTime(rfm.computedAt)}</dd>
        </div>
        <div class="card" data-card="members-scored">
          <dt>{t("rfm.membersScored")}</dt>
          <dd>{i18n.number(rfm.membersScored)}</dd>
        </div>
        <div class="card" data-card="window">
          <dt>{t("rfm.window")}</dt>
          <dd>{days(i18n, rfm.windowDays)}</dd>
        </div>
      </dl>
      {rfm.membersScored === 0 ? (
        <p data-empty="scored">{t("rfm.nobody")}</p>
      ) : (
        <>
          <RfmHeatmap rfm={rfm} id={`rfm-${program.id}`} />
          <TableWrap label={t("rfm.segmentsLabel", { program: program.name })}>
            <table class="rfm-segments">
              <thead>
                <tr>
                  <th scope="col">{t("rfm.col.segment")}</th>
                  <th scope="col" class="num">
                    {columns.members}
                  </th>
                  <th scope="col" class="num">
                    {columns.share}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rfm.segments.map(({ segment, members }) => (
                  <tr data-rfm-segment={segment}>
                    <th scope="row">{enumLabel(i18n, "rfmSegment", segment)}</th>
                    <td class="num" data-label={columns.members} data-column="members">
                      {i18n.number(members)}
                    </td>
                    <td class="num" data-label={columns.share} data-column="share">
                      {i18n.percent(members / rfm.membersScored)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </>
  );
}

/** One owned program: its segments (or how to create one), then its RFM (or how to score it). */
function ProgramSegments(props: { owned: OwnedSegments }) {
  const { t } = useI18n();
  const { program, segments } = props.owned;
  const headingId = `program-${program.id}`;
  return (
    <section aria-labelledby={headingId} class="program-segments" data-program={program.id}>
      <h2 id={headingId}>{program.name}</h2>
      <h3>{t("segments.listTitle")}</h3>
      {segments.length === 0 ? (
        <Empty
          class="segments-empty"
          kind="segments"
          say={t("segments.empty", { program: program.name })}
          how={t("segments.emptyHow")}
          request={`POST /v1/programs/${program.id}/segments`}
        />
      ) : (
        <SegmentTable program={program} segments={segments} />
      )}
      <h3>{t("rfm.title")}</h3>
      <Rfm owned={props.owned} />
    </section>
  );
}

/** Every program the partner owns, with its segments and RFM. */
export function SegmentsPage(props: { programs: OwnedSegments[] }) {
  const { t } = useI18n();
  return (
    <Layout title={t("segments.title")} path="/portal/segments">
      {props.programs.length === 0 ? (
        <p>{t("segments.noPrograms")}</p>
      ) : (
        <>
          <p class="segments-intro">{t("segments.intro")}</p>
          {props.programs.map((owned) => (
            <ProgramSegments owned={owned} />
          ))}
        </>
      )}
    </Layout>
  );
}
