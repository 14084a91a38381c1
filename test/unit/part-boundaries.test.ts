import { describe, expect, it } from "vitest";
import type { TableSchema } from "../../src/model/schema-model.ts";
import type { DumpRow, ValueKind } from "../../src/model/values.ts";
import { PartBoundaries } from "../../src/planner/part-boundaries.ts";

/** Only the fields PartBoundaries reads: the key columns. */
const TABLE = { rowidColumn: null, primaryKey: { name: null, columns: ["id"] } } as unknown as TableSchema;
const COLUMNS = ["id", "name"];
const KINDS: ValueKind[] = ["integer", "text"];

/** Part sizes of a table whose rows have these keys, in order. */
function parts(keys: readonly number[], max: number): number[] {
  const boundaries = new PartBoundaries(TABLE, COLUMNS, KINDS, max);
  const sizes: number[] = [];
  let rows = 0;
  for (const key of keys) {
    rows++;
    if (boundaries.endsPart([BigInt(key), `row ${key}`] as DumpRow)) {
      sizes.push(rows);
      rows = 0;
    }
  }
  if (rows > 0) sizes.push(rows);
  return sizes;
}

/** The first key of every part: the boundaries as a set of rows. */
function starts(keys: readonly number[], max: number): number[] {
  const out: number[] = [];
  let at = 0;
  for (const size of parts(keys, max)) {
    out.push(keys[at]!);
    at += size;
  }
  return out;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe("PartBoundaries", () => {
  it("never makes a part above N rows, nor an empty one, and cuts below N/2 rows only at the end", () => {
    for (const max of [1, 2, 3, 10, 200, 5000]) {
      const sizes = parts(range(1, 20_001), max);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(20_000);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(max);
      expect(Math.min(...sizes.slice(0, -1))).toBeGreaterThanOrEqual(Math.ceil(max / 2));
      expect(sizes.at(-1)).toBeGreaterThan(0);
      expect(sizes.length).toBeGreaterThanOrEqual(Math.ceil(20_000 / max));
    }
  });

  it("makes parts of about 5N/8 rows, few of them cut at N", () => {
    const sizes = parts(range(1, 1_000_001), 1000).slice(0, -1);
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    expect(mean).toBeGreaterThan(560);
    expect(mean).toBeLessThan(690);
    expect(sizes.filter((s) => s === 1000).length / sizes.length).toBeLessThan(0.04);
  });

  it("is a function of the rows alone: the same rows give the same parts", () => {
    const keys = range(1, 50_001).map((k) => (k * 7919) % 100_003);
    expect(parts(keys, 700)).toEqual(parts([...keys], 700));
  });

  it("keeps the other boundaries where they were when a row is inserted or deleted near the start", () => {
    const keys = range(1, 12_001);
    const before = new Set(starts(keys, 200));
    let moved = 0;
    const trials = range(2, 302);
    for (const at of trials) {
      // Insert a new key at position `at`, and delete the row at position `at`.
      const inserted = starts([...keys.slice(0, at), -at, ...keys.slice(at)], 200);
      const deleted = starts([...keys.slice(0, at), ...keys.slice(at + 1)], 200);
      for (const after of [new Set(inserted), new Set(deleted)]) {
        // Part starts that moved: with fixed parts of N rows, every one after the edit.
        const changed = [...after].filter((s) => !before.has(s) && s !== -at).length + [...before].filter((s) => !after.has(s) && s !== keys[at]).length;
        if (changed > 2) moved++;
      }
    }
    // Nearly every edit touches only its own part; one in a few hundred adds or removes a boundary.
    expect(moved).toBeLessThan(trials.length * 2 * 0.05);
    expect(before.size).toBeGreaterThan(12_000 / 200);
  });

  it("hashes composite keys apart and reads a table without a key by its whole row", () => {
    const composite = { rowidColumn: null, primaryKey: { name: null, columns: ["a", "b"] } } as unknown as TableSchema;
    const b = new PartBoundaries(composite, ["a", "b"], ["text", "text"], 100);
    expect(b.keyHash(["1", "23"])).not.toBe(b.keyHash(["12", "3"]));
    const keyless = { rowidColumn: null, primaryKey: null } as unknown as TableSchema;
    const k = new PartBoundaries(keyless, ["a", "b"], ["text", "text"], 100);
    expect(k.keyHash(["x", "1"])).not.toBe(k.keyHash(["x", "2"]));
    expect(b.keyHash(["x", "1"])).toBe(new PartBoundaries(composite, ["a", "b"], ["text", "text"], 100).keyHash(["x", "1"]));
  });
});
