import { useI18n } from "../render";

/** "Download CSV" for the numbers titled `title`, which also names the link for a screen reader's list of links. */
export function DownloadCsv(props: { href: string; title: string }) {
  const { t } = useI18n();
  return (
    <p class="download">
      <a href={props.href} download aria-label={t("reports.csvNamed", { title: props.title })}>
        {t("reports.csv")}
      </a>
    </p>
  );
}
