/**
 * zod-openapi writes a nullable reference (`ConversionSchema.nullable()`) as
 * `{ allOf: [{ $ref }], type: [..., "null"] }` inside an `allOf`, which no validator reads as "the object or
 * null" and which code generators turn into an intersection with `null` (that is, `never`). This rewrites every
 * such schema to `{ anyOf: [{ $ref }, { type: "null" }] }`, keeping its description, so the document says what
 * the API answers: the object, or null.
 */
export function nullableRefs<T>(node: T): T {
  if (Array.isArray(node)) return node.map(nullableRefs) as T;
  if (!node || typeof node !== "object") return node;
  const schema = node as Record<string, unknown>;
  const [ref, nullable, ...others] = Array.isArray(schema.allOf) ? schema.allOf : [];
  if (others.length === 0 && isRef(ref) && isNullMarker(nullable)) {
    const { allOf: _, ...rest } = schema;
    const { type: __, ...annotations } = nullable;
    return { ...rest, ...annotations, anyOf: [ref, { type: "null" }] } as T;
  }
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, nullableRefs(value)])) as T;
}

const isRef = (value: unknown): value is { $ref: string } =>
  Boolean(value && typeof value === "object" && "$ref" in value && Object.keys(value).length === 1);

/** `{ type: ["object", "null"], description? }`: only a type that admits null, and annotations. */
function isNullMarker(value: unknown): value is { type: string[] } & Record<string, unknown> {
  if (!value || typeof value !== "object") return false;
  const { type, description, ...rest } = value as Record<string, unknown>;
  return Array.isArray(type) && type.includes("null") && Object.keys(rest).length === 0 && description !== null;
}
