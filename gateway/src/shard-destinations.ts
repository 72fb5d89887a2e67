/**
 * Which database of a sharded deployment a request goes to (docs/scale-out.md, section 2), from its method and URL
 * alone; the body is read only for `body`.
 * - `directory`: main, and a successful write there is copied to the shards (partners, programs and their
 *   agreements, rules and rates, webhook endpoints, sign-in, the portal, the sandbox clock);
 * - `program`: the database of the program named in the path or the `program_id` query;
 * - `body`: the database of the program the JSON body names in `field`;
 * - `id`: the resource is named by its id only (or, for `POST /v1/conversions`, by its quote's id in the body):
 *   every database in turn, until one knows it;
 * - `every`: a list whose rows sit on every database (reviews, events, fraud events, an endpoint's delivery attempts):
 *   every database's page for the same query, merged by id (./merged-lists.ts);
 * - `main`: settlements (closed on every database from main, their statements stored in main), and what spans
 *   databases and is not merged yet (the network report): main's answer.
 */
export type Destination =
  | { to: "directory" }
  | { to: "program"; programId: string }
  | { to: "body"; field: string }
  | { to: "id"; id?: string }
  | { to: "every" }
  | { to: "main" };

const directory: Destination = { to: "directory" };

/** POSTs whose JSON body names the program; a conversion's quote names its source, where the member's points are. */
const bodyFields = new Map([
  ["/v1/transactions/earn", "program_id"],
  ["/v1/transactions/burn", "program_id"],
  ["/v1/transactions/adjustments", "program_id"],
  ["/v1/activities", "program_id"],
  ["/v1/member-sessions", "program_id"],
  ["/v1/transfers", "program_id"],
  ["/v1/redemptions", "program_id"],
  ["/v1/segments/preview", "program_id"],
  ["/v1/conversions/quotes", "from_program_id"],
]);

/** Lists whose rows each database holds some of, every one newest first by id. */
const mergedLists = new Set(["/v1/reviews", "/v1/events", "/v1/fraud-events"]);

const directoryCollections = new Set(["partners", "conversion-rates", "webhook-endpoints", "signing-keys", "sandbox"]);
/** The program's own settings under /v1/programs/{id}: directory rows, copied to the shards. */
const programDirectoryParts = new Set(["agreements", "velocity-rules", "transfer-rules"]);
/** Collections whose items live on their program's database but are addressed by id alone. */
const byId = new Set([
  "transactions",
  "conversions",
  "events",
  "reviews",
  "redemptions",
  "transfers",
  "promotions",
  "rewards",
  "segments",
  "campaigns",
  "report-definitions",
]);

export function destinationOf(method: string, url: URL): Destination {
  const path = url.pathname;
  if (!path.startsWith("/v1/")) return directory;
  const field = method === "POST" ? bodyFields.get(path) : undefined;
  if (field) return { to: "body", field };
  if (method === "GET" && mergedLists.has(path)) return { to: "every" };
  const [collection = "", id, part] = path.slice("/v1/".length).split("/");
  // An endpoint's delivery log: each database's runner logs its own attempts.
  if (method === "GET" && collection === "webhook-endpoints" && part === "deliveries") return { to: "every" };
  const decodedId = id === undefined ? undefined : decoded(id);
  // A malformed escape names nothing any database holds: main answers it, as one database would.
  if (id !== undefined && decodedId === undefined) return { to: "main" };
  if (collection === "programs") {
    if (!decodedId || !part || programDirectoryParts.has(part)) return directory;
    return { to: "program", programId: decodedId };
  }
  if (directoryCollections.has(collection)) return directory;
  const programId = url.searchParams.get("program_id");
  if (programId) return { to: "program", programId };
  // `POST /v1/conversions` names its quote, which lives with the source program.
  if (collection === "conversions" && method === "POST" && !id) return { to: "id" };
  if (decodedId && byId.has(collection)) return { to: "id", id: decodedId.replace(/\.(csv|pdf)$/, "") };
  return { to: "main" };
}

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
