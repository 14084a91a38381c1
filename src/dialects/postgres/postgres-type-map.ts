import type { ColumnSchema, NeutralTypeName } from "../../model/schema-model.ts";
import type { ValueKind } from "../../model/values.ts";

/**
 * Cross-engine mapping: the neutral type of a column from another engine's dump (SQLite)
 * → the PostgreSQL type it is created with, the kind of value that column takes, and
 * whether PostgreSQL could store a value differently from how it was given.
 * @see https://www.postgresql.org/docs/current/datatype.html
 */
export interface PostgresColumnType {
  /** SQL type name for CREATE TABLE. */
  readonly sql: string;
  /**
   * What the COPY encoder accepts: "text" only strings (an integer in a SQLite TEXT or
   * untyped column would silently become text), "any" strings and numbers (numeric).
   */
  readonly kind: ValueKind;
  /**
   * How the writer proves a loaded value was kept exactly: "text" its text form reads
   * back unchanged (dates, uuids, varchar(n)...), "value" it is numerically unchanged
   * (numeric(p,s) pads, but must not round), null nothing to prove.
   */
  readonly verify: "text" | "value" | null;
}

const BY_NEUTRAL: Readonly<Record<NeutralTypeName, PostgresColumnType>> = {
  integer: { sql: "bigint", kind: "integer", verify: null },
  real: { sql: "double precision", kind: "real", verify: null },
  numeric: { sql: "numeric", kind: "any", verify: null },
  boolean: { sql: "boolean", kind: "boolean", verify: null },
  text: { sql: "text", kind: "text", verify: null },
  blob: { sql: "bytea", kind: "blob", verify: null },
  date: { sql: "date", kind: "text", verify: "text" },
  time: { sql: "time", kind: "text", verify: "text" },
  timetz: { sql: "time with time zone", kind: "text", verify: "text" },
  timestamp: { sql: "timestamp", kind: "text", verify: "text" },
  timestamptz: { sql: "timestamp with time zone", kind: "text", verify: "text" },
  interval: { sql: "interval", kind: "text", verify: "text" },
  uuid: { sql: "uuid", kind: "text", verify: "text" },
  json: { sql: "json", kind: "text", verify: null },
  jsonb: { sql: "jsonb", kind: "text", verify: "text" },
  // NOTE: a SQLite column without a type holds any storage class; PostgreSQL has no such
  // column. It becomes text, and only text values load: an integer, real or blob in it
  // is reported with the table, column and row instead of silently turning into text.
  any: { sql: "text", kind: "text", verify: null },
  other: { sql: "text", kind: "text", verify: null },
};

/** Date and time types PostgreSQL knows by the name a SQLite schema may declare. */
const KNOWN_TEMPORAL = /^(?:date|time|timetz|timestamp|timestamptz|interval|time(?:stamp)?\s*(?:\(\s*[0-6]\s*\))?(?:\s+with(?:out)?\s+time\s+zone)?)$/i;

/** The PostgreSQL type of a column from a non-PostgreSQL dump. */
export function postgresColumnType(column: Pick<ColumnSchema, "type">): PostgresColumnType {
  const mapped = BY_NEUTRAL[column.type.name] ?? BY_NEUTRAL.other;
  const params = column.type.params ?? [];
  const native = column.type.native.trim();
  if (column.type.name === "numeric" && params.length > 0 && params.every((p) => Number.isSafeInteger(p) && p >= 0)) {
    return { ...mapped, sql: `numeric(${params.join(", ")})`, verify: "value" };
  }
  if (column.type.name === "text" && params.length === 1 && params[0]! >= 1 && /^(?:varchar|character\s+varying|nvarchar|varying\s+character)\b/i.test(native)) {
    // NOTE: SQLite does not enforce the length: a longer value fails to load (COPY names
    // the row), and one whose excess is spaces would be cut silently, so it is verified.
    return { ...mapped, sql: `varchar(${params[0]})`, verify: "text" };
  }
  if (["date", "time", "timetz", "timestamp", "timestamptz", "interval"].includes(column.type.name) && KNOWN_TEMPORAL.test(native)) {
    return { ...mapped, sql: native.toLowerCase() };
  }
  return mapped;
}
