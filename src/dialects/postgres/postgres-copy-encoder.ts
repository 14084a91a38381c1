import { GenDumpError } from "../../errors.ts";
import { type TableSchema, displayName } from "../../model/schema-model.ts";
import { type DumpRow, type DumpValue, RawText, type ValueKind } from "../../model/values.ts";
import { escapeCopyText, formatBytea, formatFloat } from "./postgres-copy-text.ts";

/**
 * Encode values into COPY text fields for a column of a given kind. A value the column
 * cannot hold exactly yields a `Rejection` (the writer names table, column and row)
 * instead of being converted silently; values PostgreSQL itself must judge (a text in a
 * date column, a bigint beyond int4) go through and come back as COPY errors.
 */
export type FieldEncoder = (value: Exclude<DumpValue, null>) => string | Rejection;

export class Rejection {
  constructor(readonly reason: string) {}
}

const reject = (value: Exclude<DumpValue, null>, what: string) => new Rejection(`${describe(value)} cannot be stored in ${what}`);

/**
 * The encoder for a column whose values are of `kind` on the target. `rawText`: the
 * target database is SQL_ASCII, whose text holds any bytes, so text that is not UTF-8
 * (RawText, from a SQL_ASCII or SQLite dump) goes in byte for byte instead of being refused.
 */
export function fieldEncoder(kind: ValueKind, rawText = false): FieldEncoder {
  switch (kind) {
    case "integer":
      return (v) =>
        typeof v === "bigint" ? v.toString()
        : typeof v === "number" && Number.isInteger(v) ? BigInt(v).toString()
        : reject(v, "an integer column");
    case "real":
      return (v) =>
        typeof v === "number" ? formatFloat(v)
        : typeof v === "bigint" && BigInt(Number(v)) === v ? v.toString()
        : reject(v, "a floating-point column (only integers up to 2^53 are exact there)");
    case "boolean":
      return (v) =>
        typeof v === "boolean" ? (v ? "t" : "f")
        : v === 0n || v === 1n ? (v === 1n ? "t" : "f")
        : reject(v, "a boolean column");
    case "blob":
      return (v) => (v instanceof Uint8Array ? formatBytea(v) : reject(v, "a bytea column"));
    case "text":
      // NOTE: every text-carried PostgreSQL value is a string; a number here comes from
      // another engine (an INTEGER in a SQLite TEXT column) and would silently turn into text.
      return (v) =>
        typeof v === "string" ? stringField(v)
        : v instanceof RawText ? (rawText ? rawTextField(v) : reject(v, "PostgreSQL text (it holds only valid UTF-8 unless the database is SQL_ASCII)"))
        : reject(v, "a PostgreSQL text column (it would come back as text, not as the value it is)");
    default:
      return (v) =>
        typeof v === "string" ? stringField(v)
        : typeof v === "bigint" ? v.toString()
        : typeof v === "number" ? formatFloat(v)
        : typeof v === "boolean" ? (v ? "true" : "false")
        : reject(v, "a text column (PostgreSQL text holds only valid UTF-8 characters)");
  }
}

/**
 * One row as a COPY text line (without its newline): the values at `keep` (indices into
 * `row`), each through its column's encoder, tab-separated, `\N` for NULL. When a value
 * is rejected: the index in `keep` of its column, and the rejection.
 */
export function encodeCopyLine(row: DumpRow, keep: readonly number[], encoders: readonly FieldEncoder[]): string | RejectedField {
  let line = "";
  for (let k = 0; k < keep.length; k++) {
    const value = row[keep[k]!];
    if (k > 0) line += "\t";
    const field = value === null || value === undefined ? "\\N" : encoders[k]!(value);
    if (field instanceof Rejection) return { column: k, rejection: field };
    line += field;
  }
  return line;
}

/** A value of a row the column's encoder refused (see {@link encodeCopyLine}). */
export interface RejectedField {
  /** Index of the column in the line. */
  readonly column: number;
  readonly rejection: Rejection;
}

/** The error for a value the encoder refused: table, column and the row's index in its batch. */
export function rejectedRowError(table: TableSchema, column: string, row: number, rejection: Rejection): GenDumpError {
  const name = displayName(table);
  return new GenDumpError("RESTORE", `Loading table ${name} failed at row ${row} (column ${column}): ${rejection.reason}.`, { table: name, column, row });
}

/**
 * Bytes as a COPY text field of ASCII characters only: printable ones as they are, the
 * backslash doubled, every other byte as an octal escape (`\351`), which COPY FROM turns
 * back into that byte. The server checks the bytes against its encoding; SQL_ASCII takes any.
 * @see https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2
 */
function rawTextField(v: RawText): string | Rejection {
  let out = "";
  for (const b of v.bytes) {
    if (b === 0) return reject(v, "PostgreSQL text (it cannot hold NUL characters)");
    if (b === 0x5c) out += "\\\\";
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += "\\" + b.toString(8).padStart(3, "0");
  }
  return out;
}

function stringField(v: string): string | Rejection {
  return v.includes("\0") ? reject(v, "PostgreSQL text (it cannot hold NUL characters)") : escapeCopyText(v);
}

function describe(value: Exclude<DumpValue, null>): string {
  if (value instanceof RawText) return `text that is not valid UTF-8 (${value.bytes.length} bytes)`;
  if (value instanceof Uint8Array) return `a blob of ${value.length} bytes`;
  if (typeof value === "string") return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (typeof value === "bigint") return `the integer ${value}`;
  if (typeof value === "number") return `the real ${formatFloat(value)}`;
  return `the boolean ${value}`;
}
