/**
 * The neutral value model: what every dialect reads into and writes from, and what
 * the literal encoder and the dump reader exchange.
 *
 * One rule carries the storage class of every value:
 * - `bigint`      an INTEGER (always a bigint, however small)
 * - `number`      a REAL / floating-point value (NaN, ±Infinity and -0 included)
 * - `string`      TEXT, and for PostgreSQL every type carried in its exact text form
 * - `boolean`     a boolean
 * - `Uint8Array`  a BLOB / bytea
 * - `RawText`     TEXT whose bytes are not valid UTF-8 (SQLite allows it)
 * - `null`        NULL
 */
export type DumpValue = null | boolean | number | bigint | string | Uint8Array | RawText;

/** One row, in the column order its table module states. */
export type DumpRow = DumpValue[];

/**
 * The kind a column expects. A value of the expected kind is written as a plain
 * literal; any other non-null value is written through a tag (`real(1)`, `text("x")`)
 * so that it keeps its storage class and a hand edit that changes the kind is a type error.
 */
export type ValueKind = "integer" | "real" | "boolean" | "text" | "blob" | "any";

/**
 * Whether a plain (untagged) literal of JavaScript type `type` may stand in a column of
 * kind `kind`. The same rule as the column types of dump-helpers.ts (`Int = number |
 * bigint | Tag`, …), so the loader refuses exactly what `tsc` over the dump flags.
 */
export function plainLiteralFits(type: "number" | "bigint" | "string" | "boolean", kind: ValueKind): boolean {
  switch (type) {
    case "number":
      return kind === "integer" || kind === "real" || kind === "any";
    case "bigint":
      return kind === "integer" || kind === "any";
    case "string":
      return kind === "text" || kind === "any";
    case "boolean":
      return kind === "boolean" || kind === "any";
  }
}

/** TEXT whose bytes are not valid UTF-8: kept as bytes so they round-trip exactly. */
export class RawText {
  constructor(readonly bytes: Uint8Array) {}
}

/** The natural kind of a value, as the encoder and the loader see it. */
export function kindOf(value: Exclude<DumpValue, null>): Exclude<ValueKind, "any"> | "rawText" {
  switch (typeof value) {
    case "bigint":
      return "integer";
    case "number":
      return "real";
    case "string":
      return "text";
    case "boolean":
      return "boolean";
    default:
      return value instanceof RawText ? "rawText" : "blob";
  }
}
