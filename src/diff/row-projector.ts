import { type DumpRow, type DumpValue, RawText } from "../model/values.ts";
import type { TablePair } from "./table-matcher.ts";
import type { RowAt, TableRows } from "./table-rows.ts";
import { exactText, joinKey, looseText } from "./value-key.ts";

/** A row taken out of its stream: its key, and its values in the order of `pair.common`. */
export interface Keyed {
  readonly at: RowAt;
  readonly key: string;
  readonly values: readonly DumpValue[];
}

/**
 * Reads the key and the compared values of a cursor's current row, whatever the column
 * order of its module (a hand edit may reorder a module's columns).
 */
export interface Projector {
  key(rows: TableRows): string;
  /** The compared values of the current row, written into `into` (no allocation). */
  fill(rows: TableRows, into: DumpValue[]): DumpValue[];
  keyed(rows: TableRows, key: string): Keyed;
}

export function projector(pair: TablePair, exact: boolean): Projector {
  const types = pair.looseTypes;
  const text = exact ? (v: DumpValue) => exactText(v) : (v: DumpValue, i: number) => looseText(v, types[i]!);
  // Key columns as indexes into `pair.common` (for their types), and per module layout as row positions.
  const keyIndexes = (pair.key ?? pair.common).map((c) => pair.common.indexOf(c));
  const cache = new WeakMap<readonly string[], { values: number[]; key: number[] }>();
  const positions = (columns: readonly string[]) => {
    let p = cache.get(columns);
    if (p === undefined) {
      const values = pair.common.map((c) => columns.indexOf(c));
      p = { values, key: keyIndexes.map((i) => values[i]!) };
      cache.set(columns, p);
    }
    return p;
  };
  const valueAt = (row: DumpRow, at: number): DumpValue => (at < 0 ? null : (row[at] ?? null));
  return {
    key(rows) {
      const { key } = positions(rows.columns);
      const row = rows.row;
      if (key.length === 1) return text(valueAt(row, key[0]!), keyIndexes[0]!);
      return joinKey(key.map((at, n) => text(valueAt(row, at), keyIndexes[n]!)));
    },
    fill(rows, into) {
      const { values } = positions(rows.columns);
      const row = rows.row;
      for (let i = 0; i < values.length; i++) into[i] = valueAt(row, values[i]!);
      return into;
    },
    keyed(rows, key) {
      const { values } = positions(rows.columns);
      const row = rows.row;
      return { at: rows.snapshot(), key, values: values.map((at) => valueAt(row, at)) };
    },
  };
}

/** Whether two values are the same value with the same storage class. */
export function sameValue(a: DumpValue, b: DumpValue): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return Object.is(a, b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return sameBytes(a, b);
  if (a instanceof RawText && b instanceof RawText) return sameBytes(a.bytes, b.bytes);
  return false;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

