import type { CodePoolLevel } from "../../gateway/src/db/queries/reward-codes";
import type { CatalogueReward } from "../../gateway/src/domain/rewards/catalogue";
import type { ImportResult } from "../../gateway/src/domain/rewards/import";
import type { Translations } from "../../gateway/src/domain/rewards/reward";
import { codeStockLevel, lowCodeStock, type OwnedCatalogue } from "../../gateway/src/domain/rewards-portal/owned";
import { Empty } from "../components/empty";
import { ErrorSummary, FieldMessage, fieldAttributes } from "../components/field";
import { Alert, Csrf, Layout } from "../components/layout";
import { RewardsNav } from "../components/rewards-nav";
import { TableWrap } from "../components/table";
import type { I18n } from "../i18n";
import { enumLabel, type FormProblem } from "../problems";
import { useI18n, useSignedIn } from "../render";

/**
 * The rewards Catalogue page, for the users of a partner that owns programs: per owned program its rewards (name in
 * the reader's language when the reward has it, type, price, stock, whether active, who fulfils), the levels of
 * its code pools, and (for admins) the import of a CSV product list with its dry run and every problem by line.
 */

/** A reward's name in the page's language when it has one, else its name. */
export const rewardName = (i18n: I18n, reward: { name: string; translations: Translations }) =>
  reward.translations[i18n.locale]?.name ?? reward.name;

/** What an import of one program's file answered (a dry run, or a file with problems), and the text typed. */
export type ImportState = {
  programId: string;
  dryRun: boolean;
  typed: string;
  result?: ImportResult;
  problems?: FormProblem[];
};

/** The confirmation of an import, after its redirect. */
export type ImportedNotice = { programId: string; created: number; updated: number };

/** Stock as orders see it: unlimited, a `code` reward's codes left, or units left. */
function stockText(i18n: I18n, reward: CatalogueReward) {
  if (reward.available === null) return i18n.t("rewards.unlimited");
  if (reward.fulfilment === "code") return i18n.t("rewards.codesLeft", { count: i18n.number(reward.available) });
  return i18n.number(reward.available);
}

/** A program's rewards, newest first. */
function RewardTable(props: { catalogue: OwnedCatalogue }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { program, rewards, partnerNames } = props.catalogue;
  const columns = {
    sku: t("rewards.col.sku"),
    type: t("rewards.col.type"),
    price: t("rewards.col.price"),
    stock: t("rewards.col.stock"),
    active: t("rewards.col.active"),
    fulfilledBy: t("rewards.col.fulfilledBy"),
  };
  return (
    <TableWrap label={t("rewards.tableLabel", { program: program.name })}>
      <table class="rewards">
        <thead>
          <tr>
            <th scope="col">{t("rewards.col.name")}</th>
            <th scope="col">{columns.sku}</th>
            <th scope="col">{columns.type}</th>
            <th scope="col" class="num">
              {columns.price}
            </th>
            <th scope="col" class="num">
              {columns.stock}
            </th>
            <th scope="col">{columns.active}</th>
            <th scope="col">{columns.fulfilledBy}</th>
          </tr>
        </thead>
        <tbody>
          {rewards.map((reward) => (
            <tr data-reward={reward.sku}>
              <th scope="row" data-column="name">
                {rewardName(i18n, reward)}
              </th>
              <td data-label={columns.sku} data-column="sku">
                <code>{reward.sku}</code>
              </td>
              <td data-label={columns.type} data-column="type">
                {enumLabel(i18n, "rewardType", reward.type)}
              </td>
              <td class="num" data-label={columns.price} data-column="price">
                {i18n.number(reward.pointsPrice)}
              </td>
              <td class="num" data-label={columns.stock} data-column="stock">
                {stockText(i18n, reward)}
              </td>
              <td data-label={columns.active} data-column="active">
                {t(reward.active ? "rewards.active" : "rewards.inactive")}
              </td>
              <td data-label={columns.fulfilledBy} data-column="fulfilled-by">
                {reward.fulfillingPartnerId === null
                  ? t("rewards.yourCompany")
                  : (partnerNames[reward.fulfillingPartnerId] ?? reward.fulfillingPartnerId)}
                <span class="reward-fulfilment">{enumLabel(i18n, "rewardFulfilment", reward.fulfilment)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** How full each code reward's pool is, with a mark (words, not only colour) on the low and empty ones. */
function CodePools(props: { catalogue: OwnedCatalogue }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { program, pools } = props.catalogue;
  // A pool's name in the page's language when its reward is among those listed (the newest), else its name.
  const listed = new Map(props.catalogue.rewards.map((reward) => [reward.id, reward]));
  const poolName = (pool: CodePoolLevel) => {
    const reward = listed.get(pool.rewardId);
    return reward ? rewardName(i18n, reward) : pool.name;
  };
  const columns = {
    available: t("rewards.pool.available"),
    assigned: t("rewards.pool.assigned"),
    void: t("rewards.pool.void"),
    level: t("rewards.pool.level"),
  };
  return (
    <>
      <h3>{t("rewards.poolsTitle")}</h3>
      <p class="muted">{t("rewards.poolsIntro", { low: i18n.number(lowCodeStock) })}</p>
      <TableWrap label={t("rewards.poolsLabel", { program: program.name })}>
        <table class="code-pools">
          <thead>
            <tr>
              <th scope="col">{t("rewards.col.name")}</th>
              {[columns.available, columns.assigned, columns.void].map((label) => (
                <th scope="col" class="num">
                  {label}
                </th>
              ))}
              <th scope="col">{columns.level}</th>
            </tr>
          </thead>
          <tbody>
            {pools.map((pool) => {
              const level = codeStockLevel(pool.available);
              return (
                <tr data-pool={pool.sku} data-level={level}>
                  <th scope="row">
                    {poolName(pool)} <code class="muted">{pool.sku}</code>
                  </th>
                  <td class="num" data-label={columns.available} data-column="available">
                    {i18n.number(pool.available)}
                  </td>
                  <td class="num" data-label={columns.assigned} data-column="assigned">
                    {i18n.number(pool.assigned)}
                  </td>
                  <td class="num" data-label={columns.void} data-column="void">
                    {i18n.number(pool.void)}
                  </td>
                  <td data-label={columns.level} data-column="level">
                    <span class={`badge stock-${level}`}>{t(`rewards.level.${level}`)}</span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}

/** What the last import of this program's file answered: a clean dry run, or every problem with its line. */
function ImportOutcome(props: { state: ImportState }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { result } = props.state;
  if (!result) return null;
  if (result.errors.length === 0)
    return (
      <Alert kind="ok">
        {t("rewards.import.dryRunDone", {
          created: i18n.number(result.created),
          updated: i18n.number(result.updated),
        })}
      </Alert>
    );
  return (
    <div class="import-errors" role="alert" data-import="errors">
      <p>{t("rewards.import.failed", { count: i18n.number(result.errors.length) })}</p>
      <ul>
        {result.errors.map((error) => (
          <li data-line={error.line}>
            <strong>{t("rewards.import.line", { line: i18n.number(error.line) })}</strong>{" "}
            <span lang="en">{error.message}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The import of a CSV product list into one program: a file or pasted rows, and a dry run that writes nothing. */
function ImportForm(props: { programId: string; state?: ImportState }) {
  const { t } = useI18n();
  const session = useSignedIn();
  const { programId, state } = props;
  const idPrefix = `import-${programId}`;
  const problems = state?.problems;
  return (
    <form
      method="post"
      action="/portal/rewards/import"
      enctype="multipart/form-data"
      class="stack wide import"
      novalidate
    >
      <Csrf token={session.csrfToken} />
      <input type="hidden" name="program_id" value={programId} />
      <ErrorSummary problems={problems} idPrefix={idPrefix} />
      {state ? <ImportOutcome state={state} /> : null}
      <div class="field">
        <label for={`${idPrefix}-file`}>{t("rewards.import.file")}</label>
        <p class="hint" id={`${idPrefix}-file-hint`}>
          {t("rewards.import.columns")}
        </p>
        <FieldMessage name="file" problems={problems} idPrefix={idPrefix} />
        <input type="file" accept=".csv,text/csv" {...fieldAttributes("file", problems, idPrefix, true)} />
      </div>
      <div class="field">
        <label for={`${idPrefix}-csv`}>{t("rewards.import.paste")}</label>
        <textarea {...fieldAttributes("csv", problems, idPrefix)} rows={6} spellcheck={false}>
          {state?.typed ?? ""}
        </textarea>
      </div>
      <label class="check">
        <input type="checkbox" name="dry_run" checked={state ? state.dryRun : true} />
        <span>{t("rewards.import.dryRun")}</span>
      </label>
      <button type="submit">{t("rewards.import.submit")}</button>
    </form>
  );
}

/** One owned program: its rewards (or how to add some), its code pools, its import. */
function ProgramCatalogue(props: { catalogue: OwnedCatalogue; importState?: ImportState; notice?: ImportedNotice }) {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSignedIn();
  const { catalogue, notice } = props;
  const { program } = catalogue;
  const headingId = `program-${program.id}`;
  return (
    <section aria-labelledby={headingId} class="program-rewards" data-program={program.id}>
      <h2 id={headingId}>{program.name}</h2>
      {notice ? (
        <Alert kind="ok">
          {t("rewards.import.done", { created: i18n.number(notice.created), updated: i18n.number(notice.updated) })}
        </Alert>
      ) : null}
      {catalogue.rewards.length === 0 ? (
        <Empty
          class="performance-empty"
          kind="rewards"
          say={t("rewards.empty", { program: program.name })}
          how={t("rewards.emptyHow")}
          request={`POST /v1/programs/${program.id}/rewards`}
        />
      ) : (
        <RewardTable catalogue={catalogue} />
      )}
      {catalogue.more ? <p class="muted">{t("rewards.more", { count: catalogue.rewards.length })}</p> : null}
      {catalogue.pools.length > 0 ? <CodePools catalogue={catalogue} /> : null}
      <h3>{t("rewards.import.title")}</h3>
      {session.role === "admin" ? (
        <ImportForm programId={program.id} state={props.importState} />
      ) : (
        <p class="muted">{t("rewards.import.adminOnly")}</p>
      )}
    </section>
  );
}

/** Every program the partner owns, with its catalogue. */
export function RewardsPage(props: {
  catalogues: OwnedCatalogue[];
  importState?: ImportState;
  notice?: ImportedNotice;
}) {
  const { t } = useI18n();
  const { importState, notice } = props;
  return (
    <Layout title={t("rewards.title")} path="/portal/rewards">
      <RewardsNav current="/portal/rewards" />
      {props.catalogues.length === 0 ? (
        <p data-empty="programs">{t("rewards.noPrograms")}</p>
      ) : (
        <>
          <p class="performance-intro">{t("rewards.intro")}</p>
          {props.catalogues.map((catalogue) => (
            <ProgramCatalogue
              catalogue={catalogue}
              importState={importState?.programId === catalogue.program.id ? importState : undefined}
              notice={notice?.programId === catalogue.program.id ? notice : undefined}
            />
          ))}
        </>
      )}
    </Layout>
  );
}
