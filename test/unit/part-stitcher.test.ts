import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DataModuleWriter } from "../../src/emitter/data-module-writer.ts";
import { PartStitcher } from "../../src/emitter/part-stitcher.ts";
import { SegmentWriter } from "../../src/emitter/segment-writer.ts";
import type { TableSchema } from "../../src/model/schema-model.ts";
import type { DumpRow, ValueKind } from "../../src/model/values.ts";
import { PartBoundaries } from "../../src/planner/part-boundaries.ts";
import { tempDir } from "../support/cli.ts";

/**
 * `--jobs` reads a big table in key-range chunks and stitches the parts in the main
 * thread: the parts must be exactly those one pass over the rows makes.
 */

const TABLE = {
  key: "t",
  schema: null,
  name: "t",
  rowidColumn: null,
  primaryKey: { name: null, columns: ["id"] },
  columns: [
    { name: "id", kind: "integer", generated: null },
    { name: "note", kind: "text", generated: null },
  ],
} as unknown as TableSchema;
const COLUMNS = ["id", "note"];
const KINDS: ValueKind[] = ["integer", "text"];

/** Row indexes after which one pass of `endsPart` ends a part. */
function onePass(rows: readonly DumpRow[], max: number): number[] {
  const boundaries = new PartBoundaries(TABLE, COLUMNS, KINDS, max);
  return rows.flatMap((row, i) => (boundaries.endsPart(row) ? [i] : []));
}

/** The same through `endsInChunk`, the rows cut into chunks of the given sizes. */
function byChunks(rows: readonly DumpRow[], max: number, sizes: readonly number[]): number[] {
  const boundaries = new PartBoundaries(TABLE, COLUMNS, KINDS, max);
  const ends: number[] = [];
  let start = 0;
  for (const size of sizes) {
    const chunk = rows.slice(start, start + size);
    const hashEnds = chunk.flatMap((row, i) => (boundaries.hashEnds(row) ? [i] : []));
    ends.push(...boundaries.endsInChunk(chunk.length, hashEnds).map((i) => start + i));
    start += size;
  }
  return ends;
}

/** Chunk sizes that add up to `total`, cut at the given fractions. */
function chunkSizes(total: number, cuts: readonly number[]): number[] {
  const at = [...new Set(cuts.map((c) => Math.floor(c * total)))].sort((a, b) => a - b);
  return [...at, total].map((end, i, all) => end - (i === 0 ? 0 : all[i - 1]!));
}

const rowOf = (key: number): DumpRow => [BigInt(key), `row ${key}`];

describe("PartBoundaries.endsInChunk", () => {
  it("ends parts after the same rows as endsPart, however the rows are cut into chunks", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: -1e9, max: 1e9 }), { maxLength: 3000 }),
        fc.integer({ min: 1, max: 400 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }),
        (keys, max, cuts) => {
          const rows = keys.map(rowOf);
          expect(byChunks(rows, max, chunkSizes(rows.length, cuts))).toEqual(onePass(rows, max));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("carries the open part from chunk to chunk: cuts at maxRows, or at a hash end past minRows", () => {
    // maxRows 10, minRows 5.
    const boundaries = new PartBoundaries(TABLE, COLUMNS, KINDS, 10);
    expect(boundaries.endsInChunk(7, [])).toEqual([]); // 7 rows open
    expect(boundaries.endsInChunk(7, [])).toEqual([2]); // the 10th row; 4 open
    // 4 open: the hash end at 4 is the part's 9th row; then 14 (10 rows, 5..13 hold no
    // hash end past minRows), then 19 (the 5th row of the next part).
    expect(boundaries.endsInChunk(20, [4, 5, 6, 19])).toEqual([4, 14, 19]);
    expect(boundaries.endsInChunk(0, [])).toEqual([]);
  });
});

/** Write `rows` with DataModuleWriter, and again as chunks stitched by PartStitcher; both file sets. */
async function bothWays(rows: readonly DumpRow[], max: number, sizes: readonly number[]) {
  const root = tempDir("gen-dump-stitch-");
  const [one, stitched] = [join(root, "one"), join(root, "stitched")];
  for (const dir of [one, stitched]) mkdirSync(join(dir, "data"), { recursive: true });
  const writer = new DataModuleWriter({ dir: one, table: TABLE, columns: COLUMNS, kinds: KINDS, maxRowCount: max });
  for (let i = 0; i < rows.length; i += 97) await writer.add(rows.slice(i, i + 97));
  const expected = await writer.finish();
  const stitcher = new PartStitcher({ dir: stitched, table: TABLE, columns: COLUMNS, kinds: KINDS, maxRowCount: max });
  let start = 0;
  for (const [k, size] of sizes.entries()) {
    const segment = await SegmentWriter.create({ path: join(root, `${k}.seg`), table: TABLE, columns: COLUMNS, kinds: KINDS, maxRowCount: max });
    await segment.add(rows.slice(start, start + size));
    start += size;
    await stitcher.add(await segment.finish());
  }
  const got = await stitcher.finish();
  const files = (dir: string) => new Map(readdirSync(join(dir, "data")).map((f) => [f, readFileSync(join(dir, "data", f), "latin1")]));
  return { expected, got, one: files(one), stitched: files(stitched), leftovers: readdirSync(root).filter((f) => f.endsWith(".seg")) };
}

describe("PartStitcher", () => {
  it("writes the very files DataModuleWriter writes, and removes the segments", async () => {
    const cases: [number, number, number[]][] = [
      [5000, 300, [0.1, 0.5, 0.51, 0.9]],
      [5000, 300, []],
      [250, 300, [0.3, 0.6]], // at most maxRows: one unnumbered module, joined
      [0, 10, [0.5]], // empty: one empty module
      [1200, 7, [0.25, 0.5, 0.75]],
    ];
    for (const [count, max, cuts] of cases) {
      const rows = Array.from({ length: count }, (_, i) => rowOf(i * 3 + 1));
      const result = await bothWays(rows, max, chunkSizes(rows.length, cuts));
      expect(result.got, `${count} rows, max ${max}`).toEqual(result.expected);
      expect(result.stitched).toEqual(result.one);
      expect(result.leftovers).toEqual([]);
    }
  });

  it("cuts rows that straddle its read blocks (rows of 100 KB and more, multi-byte text)", async () => {
    const rows: DumpRow[] = Array.from({ length: 150 }, (_, i) => [BigInt(i), `${"é☃\n".repeat((i * 7919) % 30_000)}${i}`]);
    const result = await bothWays(rows, 16, chunkSizes(rows.length, [0.2, 0.7]));
    expect(result.one.size).toBeGreaterThan(5);
    expect(result.stitched).toEqual(result.one);
    expect(result.got).toEqual(result.expected);
  });
});
