/**
 * Writes the source of sdk/src/operations.ts from the gateway's OpenAPI document: one method per operation,
 * grouped by the operation's tag (`client.transactions.earn(...)`), named by its operationId without the words
 * the group already says (`earnPoints` under Transactions is `earn`, `listMemberTransactions` under Members is
 * `listTransactions`). Path parameters come first, in path order, then the body or the query, then the options.
 * Called by scripts/generate-sdk-schema.ts, so `npm run sdk:generate` writes both files from one document.
 */

type Schema = { $ref?: string; type?: string; properties?: Record<string, Schema> };
type Parameter = { in: string; name: string; required?: boolean };
/** Whether the API requires `Idempotency-Key` (the operations that move points): the method then needs its options. */
const needsIdempotencyKey = (operation: Operation) =>
  (operation.parameters ?? []).some(
    (parameter) =>
      parameter.in === "header" && parameter.name.toLowerCase() === "idempotency-key" && parameter.required,
  );
type Media = Record<string, { schema?: Schema }>;
type Operation = {
  operationId?: string;
  tags?: string[];
  summary?: string;
  description?: string;
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Media };
  responses: Record<string, { content?: Media }>;
};
/** The parts of the OpenAPI document the generator reads. */
export type SdkDocument = {
  paths?: Record<string, object>;
  components?: { schemas?: Record<string, unknown> };
};

const methods = ["get", "post", "put", "patch", "delete"] as const;
/** Words a method leaves out because its group says them too: `transactions.earn`, not `earnPoints`. */
const impliedWords: Record<string, string[]> = { Transactions: ["Points"] };
/** The client's own members; a group may not take their names. */
const reserved = new Set(["get", "post", "put", "patch", "delete", "list", "raw"]);

const words = (camel: string) => camel.split(/(?=[A-Z])/);
const camelCase = (text: string) =>
  text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word, i) => (i === 0 ? word.toLowerCase() : word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()))
    .join("");

/** `Partners` -> `partners`; `listPartners` -> `list`, `createPartnerCredential` -> `createCredential`. */
function methodName(tag: string, operationId: string): string {
  const tagWords = tag.split(/\s+/).map((word) => word.charAt(0).toUpperCase() + word.slice(1));
  const implied = new Set([
    ...tagWords,
    ...tagWords.map((word) => word.replace(/s$/, "")),
    ...(impliedWords[tag] ?? []),
  ]);
  const [verb = "", ...rest] = words(operationId);
  return verb + rest.filter((word) => !implied.has(word)).join("");
}

/** The first 2xx answer: it decides how the body is read and whether the operation is a list. */
const success = (operation: Operation) =>
  Object.entries(operation.responses).find(([status]) => status.startsWith("2"))?.[1];

/** How the success body is read: JSON (the default), text, or bytes. */
function parseAs(operation: Operation): "text" | "arrayBuffer" | undefined {
  const types = Object.keys(success(operation)?.content ?? {});
  if (types.length === 0 || types.some((type) => /json/.test(type))) return undefined;
  return types.every((type) => type.startsWith("text/")) ? "text" : "arrayBuffer";
}

/** The media type of a body sent as text (a CSV file), when the operation takes no JSON. */
function sendsText(operation: Operation): string | undefined {
  const types = Object.keys(operation.requestBody?.content ?? {});
  if (types.length === 0 || types.some((type) => /json/.test(type))) return undefined;
  return types.find((type) => type.startsWith("text/"));
}

/** Whether the operation answers `{ data, has_more }` and takes a `starting_after` cursor. */
function isList(document: SdkDocument, operation: Operation): boolean {
  let schema = success(operation)?.content?.["application/json"]?.schema;
  if (schema?.$ref) schema = document.components?.schemas?.[schema.$ref.split("/").at(-1) ?? ""] as Schema;
  const cursor = operation.parameters?.some((parameter) => parameter.name === "starting_after");
  return Boolean(cursor && schema?.properties?.data?.type === "array" && schema.properties.has_more);
}

const comment = (indent: string, lines: string[]) => [
  `${indent}/**`,
  ...lines.map((line) => `${indent} *${line ? ` ${line.replaceAll("*/", "*\\/")}` : ""}`),
  `${indent} */`,
];

/** Wraps a paragraph at about 110 characters. */
function wrap(text: string): string[] {
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + word.length < 110) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** A group's methods (name -> operationId, to refuse two of a name) and their source lines. */
type Group = { names: Map<string, string>; lines: string[] };

/** The source of sdk/src/operations.ts (unformatted: the generator runs it through biome). */
export function operationsSource(document: SdkDocument): string {
  const routes: string[] = [];
  const keyedPaths: string[] = [];
  const groups = new Map<string, Group>();
  for (const [path, item] of Object.entries(document.paths ?? {}))
    for (const method of methods) {
      const operation = (item as Partial<Record<string, Operation>>)[method];
      if (!operation) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const id = operation.operationId;
      const tag = operation.tags?.[0];
      if (!id || !tag) throw new Error(`${where} needs an operationId and a tag to get an SDK method`);
      const group = camelCase(tag);
      if (reserved.has(group)) throw new Error(`${where}: the tag ${tag} would hide the client's own ${group}`);
      const name = methodName(tag, id);
      const entry: Group = groups.get(group) ?? { names: new Map(), lines: [] };
      groups.set(group, entry);
      const taken = entry.names.get(name);
      if (taken) throw new Error(`${id} and ${taken} would both be ${group}.${name}: rename one operationId`);
      entry.names.set(name, id);

      const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? "");
      const query = (operation.parameters ?? []).filter((parameter) => parameter.in === "query");
      const args = pathParams.map((param) => `${camelCase(param)}: string`);
      const input: string[] = [];
      if (pathParams.length > 0)
        input.push(
          `path: { ${pathParams.map((param) => (param === camelCase(param) ? param : `${param}: ${camelCase(param)}`)).join(", ")} }`,
        );
      const idempotent = needsIdempotencyKey(operation);
      if (idempotent && method === "post") keyedPaths.push(JSON.stringify(path));
      // Before required options, an optional body is an argument that may be undefined.
      const optional = (type: string) => (idempotent ? `: ${type} | undefined` : `?: ${type}`);
      if (operation.requestBody) {
        args.push(`body${operation.requestBody.required ? `: Body<"${id}">` : optional(`Body<"${id}">`)}`);
        input.push("body");
      }
      if (query.length > 0) {
        const required = query.some((parameter) => parameter.required);
        args.push(`query${required ? `: Query<"${id}">` : optional(`Query<"${id}">`)}`);
        input.push("query");
      }
      args.push(idempotent ? "options: IdempotentCallOptions" : "options?: CallOptions");
      const list = isList(document, operation);
      const returns = list ? `PagePromise<Result<"${id}">>` : `ApiPromise<Result<"${id}">>`;
      const doc = [`${operation.summary ?? id}: \`${where}\` (\`${id}\`).`];
      if (operation.description) doc.push("", ...wrap(operation.description));
      entry.lines.push(
        ...comment("    ", doc),
        `    ${name}: (${args.join(", ")}): ${returns} =>`,
        `      ${list ? "list" : "call"}("${id}", { ${input.join(", ")} }, options),`,
      );

      const as = parseAs(operation);
      const text = sendsText(operation);
      const isPublic = (operation.security ?? []).length === 0;
      routes.push(
        `  ${id}: { method: "${method}", path: "${path}"${isPublic ? ", public: true" : ""}${idempotent ? ", idempotent: true" : ""}${as ? `, parseAs: "${as}"` : ""}${text ? `, bodyType: "${text}"` : ""} },`,
      );
    }

  return `// this file is @generated by scripts/generate-sdk-schema.ts from the gateway's OpenAPI document; do not edit.
// Regenerate with \`npm run sdk:generate\`.
import type {
  ApiPromise,
  Body,
  CallOperation,
  CallOptions,
  IdempotentCallOptions,
  ListOperation,
  OperationId,
  OperationRoute,
  PagePromise,
  Query,
  Result,
} from "./operation-types.js";

/** How each operation is sent, by operationId. */
export const operationRoutes = {
${routes.join("\n")}
} as const satisfies Record<OperationId, OperationRoute>;

/** The POST paths whose API requires \`Idempotency-Key\`: the path-string client asks for it there too. */
export type IdempotentPath = ${keyedPaths.join(" | ") || "never"};

/**
 * Every operation of the gateway as a method, grouped as the reference groups them (by tag). \`call\` sends one
 * operation; \`list\` sends a list operation as a PagePromise.
 */
export const operationMethods = (call: CallOperation, list: ListOperation) => ({
${[...groups].map(([group, { lines }]) => `  ${group}: {\n${lines.join("\n")}\n  },`).join("\n")}
});
`;
}
