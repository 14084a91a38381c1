import type { ColumnSchema, NeutralTypeName } from "../../model/schema-model.ts";

/**
 * Declared SQLite types for columns of a dump taken from another engine (PostgreSQL).
 * The rule behind every row: a value must come back as what it was. Values of types
 * carried as text must keep TEXT storage, so their declared type needs TEXT affinity
 * unless their text can never look like a number.
 * NOTE: INTEGER, REAL and NUMERIC affinity turn text that looks like a number into a
 * number ('1.50' → 1.5, '12345678901234567890' → 1.2345678901234567e19: only 15
 * significant digits survive), and any type name containing "INT" has INTEGER affinity
 * (`INTERVAL`, `POINT`). https://www.sqlite.org/datatype3.html#type_affinity
 *
 * | neutral type                         | SQLite declared type                | stored as                       |
 * |--------------------------------------|-------------------------------------|---------------------------------|
 * | integer                              | INTEGER                             | INTEGER                         |
 * | real                                 | REAL                                | REAL                            |
 * | numeric(p,s) with p <= 15            | NUMERIC(p,s)                        | INTEGER or REAL (exact to 15 digits) |
 * | numeric without p, or p > 15         | NUMERIC_TEXT(p,s) / NUMERIC_TEXT    | TEXT (every digit kept)         |
 * | boolean                              | BOOLEAN                             | INTEGER 0 / 1                   |
 * | text / varchar(n) / char(n)          | TEXT / VARCHAR(n) / CHAR(n)         | TEXT                            |
 * | blob (bytea)                         | BLOB                                | BLOB                            |
 * | date, time, timetz, timestamp, timestamptz, interval, uuid | DATE, TIME, TIMETZ, TIMESTAMP, TIMESTAMPTZ, INTERVAL, UUID | TEXT (their text never looks like a number) |
 * | json / jsonb                         | JSON_TEXT / JSONB_TEXT              | TEXT                            |
 * | arrays, enums, every other type      | TEXT                                | TEXT                            |
 * | any (SQLite column without a type)   | (no type)                           | as given                        |
 */
export const SQLITE_TYPE_MAP: Readonly<Record<NeutralTypeName, string>> = {
  integer: "INTEGER",
  real: "REAL",
  numeric: "NUMERIC_TEXT",
  boolean: "BOOLEAN",
  text: "TEXT",
  blob: "BLOB",
  date: "DATE",
  time: "TIME",
  timetz: "TIMETZ",
  timestamp: "TIMESTAMP",
  timestamptz: "TIMESTAMPTZ",
  interval: "INTERVAL",
  uuid: "UUID",
  json: "JSON_TEXT",
  jsonb: "JSONB_TEXT",
  any: "",
  other: "TEXT",
};

/** Significant digits a REAL keeps exactly through SQLite's text → number conversion. */
const EXACT_DIGITS = 15;

/** The declared type a column of another engine's dump gets in SQLite. */
export function declaredTypeFor(column: Pick<ColumnSchema, "type">): string {
  const { type } = column;
  if (type.arrayDims !== undefined && type.arrayDims > 0) return "TEXT";
  const params = (type.params ?? []).filter(Number.isSafeInteger);
  const list = params.length > 0 ? `(${params.join(",")})` : "";
  switch (type.name) {
    case "numeric":
      return params.length > 0 && params[0]! >= 1 && params[0]! <= EXACT_DIGITS ? `NUMERIC${list}` : `NUMERIC_TEXT${list}`;
    case "text":
      return `${textTypeName(type.native)}${params.length === 1 ? list : ""}`;
    default:
      return SQLITE_TYPE_MAP[type.name] ?? "TEXT";
  }
}

/** VARCHAR / CHAR / TEXT, as the source named it (all three have TEXT affinity). */
function textTypeName(native: string): string {
  const name = native.trim().toLowerCase();
  if (name.startsWith("character varying") || name.startsWith("varchar")) return "VARCHAR";
  if (name.startsWith("character") || name.startsWith("char") || name.startsWith("bpchar")) return "CHAR";
  return "TEXT";
}
