import type { NeutralTypeName } from "../model/schema-model.ts";
import { type DumpValue, RawText } from "../model/values.ts";

/**
 * Canonical text of values, for comparing rows and matching keys without holding or
 * comparing the values themselves. Three notions of "the same value":
 *
 * - `exact`: the same value with the same storage class (`1` INTEGER ≠ `1.0` REAL,
 *   `-0` ≠ `0`). What a round trip on one engine must keep; used by `diff` when both
 *   dumps come from the same engine.
 * - `sql`: equal as a unique index sees it (`1` = `1.0` = `-0.0 + 1`); used by `check`
 *   for primary keys, unique constraints and foreign keys.
 * - `loose`: equal after the cross-engine type mapping (SQLite `1` = PostgreSQL `true`
 *   in a boolean column, `1.5` = `"1.50"` in a numeric one, JSON compared as data);
 *   used by `diff` across engines.
 */
export type ValueEquality = "exact" | "sql" | "loose";

const HEX_DIGITS = "0123456789abcdef";

function hex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += HEX_DIGITS[b >> 4]! + HEX_DIGITS[b & 15]!;
  return out;
}

/** Exact text of a value: its storage class and its exact content. */
export function exactText(value: DumpValue): string {
  switch (typeof value) {
    case "bigint":
      return "i" + value;
    case "number":
      return "r" + (Object.is(value, -0) ? "-0" : String(value));
    case "string":
      return "t" + value;
    case "boolean":
      return value ? "T" : "F";
    default:
      if (value === null) return "N";
      return value instanceof RawText ? "w" + hex(value.bytes) : "x" + hex(value);
  }
}

/** A number as SQL compares it: integral values the same whatever their storage class. */
function numericText(value: number | bigint): string {
  if (typeof value === "bigint") return "n" + value;
  if (Number.isInteger(value)) return "n" + BigInt(value);
  return "n" + String(value);
}

/** Text of a value as a unique index or a foreign key compares it (NULL is never equal). */
export function sqlText(value: DumpValue): string {
  if (typeof value === "bigint" || typeof value === "number") return numericText(value);
  return exactText(value);
}

const NUMERIC_TYPES: ReadonlySet<NeutralTypeName> = new Set(["integer", "real", "numeric"]);
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Text of a value after the cross-engine type mapping of its column: booleans as 0/1,
 * numbers by numeric value (also when one engine carries them as decimal text), JSON
 * by its data (key order and spacing ignored).
 */
export function looseText(value: DumpValue, type: NeutralTypeName): string {
  if (typeof value === "boolean") return value ? "n1" : "n0";
  if (typeof value === "bigint" || typeof value === "number") return numericText(value);
  if (typeof value === "string") {
    if (NUMERIC_TYPES.has(type) && DECIMAL.test(value)) return decimalText(value);
    if (type === "json" || type === "jsonb") return jsonText(value);
  }
  return exactText(value);
}

function decimalText(text: string): string {
  if (/^[+-]?\d+$/.test(text)) return "n" + BigInt(text);
  return numericText(Number(text));
}

function jsonText(text: string): string {
  try {
    return "j" + JSON.stringify(sortKeys(JSON.parse(text)));
  } catch {
    return "t" + text;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(keys.map((k) => [k, sortKeys(record[k])]));
}

/**
 * One string for several values (a composite key), unambiguous whatever the values
 * hold: each part is prefixed by its length.
 */
export function joinKey(parts: readonly string[]): string {
  if (parts.length === 1) return parts[0]!;
  let out = "";
  for (const part of parts) out += part.length + ":" + part;
  return out;
}
