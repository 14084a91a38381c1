import type { NeutralType, NeutralTypeName } from "../../model/schema-model.ts";
import type { ValueKind } from "../../model/values.ts";

/**
 * SQLite declared types → affinity → the neutral model. A column's kind follows what
 * SQLite actually stores in it, not what its name suggests: NUMERIC affinity columns hold
 * integers, reals and text alike, so they are "any"; a column declared BLOB (or with no
 * type) stores whatever it is given, so it is "any" too.
 * @see https://www.sqlite.org/datatype3.html#determination_of_column_affinity
 * @see https://www.sqlite.org/stricttables.html
 */
export type Affinity = "INTEGER" | "TEXT" | "BLOB" | "REAL" | "NUMERIC";

/** The five affinity rules, in SQLite's order (the first that matches wins). */
export function affinityOf(declared: string): Affinity {
  const type = declared.toUpperCase();
  if (type.includes("INT")) return "INTEGER";
  if (type.includes("CHAR") || type.includes("CLOB") || type.includes("TEXT")) return "TEXT";
  if (type.includes("BLOB") || type.trim() === "") return "BLOB";
  if (type.includes("REAL") || type.includes("FLOA") || type.includes("DOUB")) return "REAL";
  return "NUMERIC";
}

const KIND_BY_AFFINITY: Readonly<Record<Affinity, ValueKind>> = {
  INTEGER: "integer",
  REAL: "real",
  TEXT: "text",
  BLOB: "any",
  NUMERIC: "any",
};

/** STRICT tables allow exactly these types, and store exactly them. */
const STRICT_KINDS: Readonly<Record<string, ValueKind>> = {
  INT: "integer",
  INTEGER: "integer",
  REAL: "real",
  TEXT: "text",
  BLOB: "blob",
  ANY: "any",
};

/** What kind of literal the data modules use for a column. */
export function kindOf(declared: string, strict: boolean): ValueKind {
  if (strict) return STRICT_KINDS[declared.trim().toUpperCase()] ?? "any";
  return KIND_BY_AFFINITY[affinityOf(declared)];
}

/** Type names with a neutral meaning beyond their affinity (checked before affinity). */
const NEUTRAL_BY_NAME: Readonly<Record<string, NeutralTypeName>> = {
  BOOL: "boolean",
  BOOLEAN: "boolean",
  DATE: "date",
  DATETIME: "timestamp",
  TIMESTAMP: "timestamp",
  TIMESTAMPTZ: "timestamptz",
  "TIMESTAMP WITH TIME ZONE": "timestamptz",
  "TIMESTAMP WITHOUT TIME ZONE": "timestamp",
  TIME: "time",
  TIMETZ: "timetz",
  INTERVAL: "interval",
  UUID: "uuid",
  JSON: "json",
  JSONB: "jsonb",
  NUMERIC: "numeric",
  DECIMAL: "numeric",
};

const NEUTRAL_BY_AFFINITY: Readonly<Record<Affinity, NeutralTypeName>> = {
  INTEGER: "integer",
  REAL: "real",
  TEXT: "text",
  BLOB: "blob",
  NUMERIC: "other",
};

/**
 * The neutral type of a declared type: `VARCHAR(20)` → text [20], `NUMERIC(10,2)` →
 * numeric [10, 2], `DATETIME` → timestamp, no type → any. `native` keeps the text.
 */
export function neutralTypeOf(declared: string, strict: boolean): NeutralType {
  const match = /^(.*?)\s*\(\s*([+-]?\d+)\s*(?:,\s*([+-]?\d+)\s*)?\)\s*$/s.exec(declared);
  const base = (match ? match[1]! : declared).trim().replace(/\s+/g, " ").toUpperCase();
  const params = match ? [Number(match[2]), ...(match[3] === undefined ? [] : [Number(match[3])])] : [];
  let name: NeutralTypeName;
  if (base === "") name = "any";
  else if (strict) name = base === "ANY" ? "any" : NEUTRAL_BY_AFFINITY[affinityOf(base)];
  else name = NEUTRAL_BY_NAME[base] ?? NEUTRAL_BY_AFFINITY[affinityOf(base)];
  const keepParams = params.length > 0 && params.every(Number.isSafeInteger) && (name === "text" || name === "numeric");
  return { name, ...(keepParams ? { params } : {}), native: declared };
}
