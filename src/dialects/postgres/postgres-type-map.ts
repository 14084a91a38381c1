import type { ColumnSchema, NeutralTypeName } from "../../model/schema-model.ts";
import type { ValueKind } from "../../model/values.ts";

/**
 * Cross-engine mapping: the neutral type of a column from another engine's dump (SQLite)
 * → the PostgreSQL type it is created with, and the kind of value that column takes.
 * @see https://www.postgresql.org/docs/current/datatype.html
 */
export interface PostgresColumnType {
  /** SQL type name for CREATE TABLE. */
  readonly sql: string;
  /** What the COPY encoder accepts for it ("any": every scalar, as text). */
  readonly kind: ValueKind;
}

const BY_NEUTRAL: Readonly<Record<NeutralTypeName, PostgresColumnType>> = {
  integer: { sql: "bigint", kind: "integer" },
  real: { sql: "double precision", kind: "real" },
  numeric: { sql: "numeric", kind: "text" },
  boolean: { sql: "boolean", kind: "boolean" },
  text: { sql: "text", kind: "text" },
  blob: { sql: "bytea", kind: "blob" },
  date: { sql: "date", kind: "text" },
  time: { sql: "time", kind: "text" },
  timetz: { sql: "time with time zone", kind: "text" },
  timestamp: { sql: "timestamp", kind: "text" },
  timestamptz: { sql: "timestamp with time zone", kind: "text" },
  interval: { sql: "interval", kind: "text" },
  uuid: { sql: "uuid", kind: "text" },
  json: { sql: "json", kind: "text" },
  jsonb: { sql: "jsonb", kind: "text" },
  // NOTE: a SQLite column without a type holds any storage class; text is the one
  // PostgreSQL type every integer, real and UTF-8 text fits. Bytes do not: the encoder
  // reports them with the table, column and row.
  any: { sql: "text", kind: "any" },
  other: { sql: "text", kind: "text" },
};

/** Date and time types PostgreSQL knows by the name a SQLite schema may declare. */
const KNOWN_TEMPORAL = /^(?:date|time|timetz|timestamp|timestamptz|interval|time(?:stamp)?\s*(?:\(\s*[0-6]\s*\))?(?:\s+with(?:out)?\s+time\s+zone)?)$/i;

/** The PostgreSQL type of a column from a non-PostgreSQL dump. */
export function postgresColumnType(column: ColumnSchema): PostgresColumnType {
  const mapped = BY_NEUTRAL[column.type.name] ?? BY_NEUTRAL.other;
  const params = column.type.params ?? [];
  if (column.type.name === "numeric" && params.length > 0 && params.every((p) => Number.isSafeInteger(p) && p >= 0)) {
    return { ...mapped, sql: `numeric(${params.join(", ")})` };
  }
  const native = column.type.native.trim();
  if (["date", "time", "timetz", "timestamp", "timestamptz", "interval"].includes(column.type.name) && KNOWN_TEMPORAL.test(native)) {
    return { ...mapped, sql: native.toLowerCase() };
  }
  return mapped;
}
