import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DataModuleWriter } from "../../src/emitter/data-module-writer.ts";
import { encodeRow } from "../../src/encoding/literal-encoder.ts";
import type { TableSchema } from "../../src/model/schema-model.ts";
import type { DumpRow, ValueKind } from "../../src/model/values.ts";
import { PartBoundaries, PartPlan } from "../../src/planner/part-boundaries.ts";
import { tempDir } from "../support/cli.ts";

/** Only the fields the writer and PartBoundaries read. */
const TABLE = { key: "t", name: "t", schema: null, rowidColumn: null, primaryKey: { name: null, columns: ["id"] } } as unknown as TableSchema;
const COLUMNS = ["id", "v"];
const KINDS: ValueKind[] = ["integer", "text"];
const row = (id: number): DumpRow => [BigInt(id), `v${id}`];

async function write(rows: readonly DumpRow[], max: number) {
  const dir = tempDir("gen-dump-writer-");
  mkdirSync(join(dir, "data"));
  const writer = new DataModuleWriter({ dir, table: TABLE, columns: COLUMNS, kinds: KINDS, maxRowCount: max });
  await writer.add(rows);
  const modules = await writer.finish();
  return { dir, modules, files: readdirSync(join(dir, "data")).sort() };
}

describe("DataModuleWriter splits", () => {
  it("joins into one unnumbered module the parts of a table that turns out to hold at most N rows", async () => {
    // Keys whose second row ends a part under N = 4 (at least 2 rows, hash even).
    const b = new PartBoundaries(TABLE, COLUMNS, KINDS, 4);
    const second = [...Array(100).keys()].find((k) => k > 1 && b.keyHash(row(k)) % b.divisor === 0)!;
    const rows = [row(1), row(second), row(1000)];
    const { dir, modules, files } = await write(rows, 4);
    expect(files).toEqual(["t.ts"]);
    const text = readFileSync(join(dir, "data", "t.ts"), "utf8");
    expect(text.split("\n").filter((l) => l.startsWith("["))).toEqual([`[1, "v1"],`, `[${second}, "v${second}"],`, `[1000, "v1000"],`]);
    expect(modules).toEqual([{ file: "data/t.ts", rows: 3, sha256: createHash("sha256").update(text).digest("hex") }]);
  });

  it("numbers the parts of a larger table, none above N rows or empty, with their checksums", async () => {
    const rows = [...Array(1000).keys()].map(row);
    const { dir, modules, files } = await write(rows, 40);
    expect(files.length).toBeGreaterThanOrEqual(25);
    expect(files).toEqual(modules.map((m) => m.file.slice("data/".length)));
    expect(files).toEqual(files.map((_, i) => `t.${String(i + 1).padStart(3, "0")}.ts`));
    expect(modules.reduce((n, m) => n + m.rows, 0)).toBe(1000);
    for (const m of modules) {
      const text = readFileSync(join(dir, m.file), "utf8");
      expect(text.split("\n").filter((l) => l.startsWith("[")).length).toBe(m.rows);
      expect(m.rows).toBeGreaterThan(0);
      expect(m.rows).toBeLessThanOrEqual(40);
      expect(m.sha256).toBe(createHash("sha256").update(text).digest("hex"));
    }
  });

  it("plans (for --simulate) the same modules it writes", async () => {
    for (const [count, max] of [[0, 10], [3, 4], [1000, 40], [5, 1]] as const) {
      const rows = [...Array(count).keys()].map(row);
      const plan = new PartPlan(TABLE, COLUMNS, KINDS, max);
      plan.add(rows);
      const { modules } = await write(rows, max);
      expect(plan.modules()).toEqual(modules.map(({ file, rows }) => ({ file, rows })));
    }
  });

  it("writes rows a source encoded (addEncoded) into the same files, byte for byte, as rows given as values", async () => {
    // Text keys, some not ASCII: the part rule hashes the key's UTF-16 code units either way.
    const textRow = (id: number): DumpRow => [`k${id}${id % 3 === 0 ? "\u00e9\u2603" : ""}${id % 7 === 0 ? "😀" : ""}`, `v${id}`];
    const textKinds: ValueKind[] = ["text", "text"];
    const textTable = { ...TABLE, primaryKey: { name: null, columns: ["id"] } } as TableSchema;
    for (const [count, max] of [[0, 10], [3, 4], [1000, 40], [700, 1000]] as const) {
      const rows = [...Array(count).keys()].map(textRow);
      const byValue = tempDir("gen-dump-writer-");
      const byBytes = tempDir("gen-dump-writer-");
      for (const dir of [byValue, byBytes]) mkdirSync(join(dir, "data"));
      const a = new DataModuleWriter({ dir: byValue, table: textTable, columns: COLUMNS, kinds: textKinds, maxRowCount: max });
      await a.add(rows);
      const b = new DataModuleWriter({ dir: byBytes, table: textTable, columns: COLUMNS, kinds: textKinds, maxRowCount: max });
      expect(b.keyColumns).toEqual([0]);
      // Batches of 64 rows, as a reader would hand them over.
      for (let from = 0; from < rows.length; from += 64) {
        const lines = rows.slice(from, from + 64).map((r) => encodeRow(r, textKinds) + "\n");
        const bytes = Buffer.from(lines.join(""), "utf8");
        const lineEnds: number[] = [];
        const keySpans: number[] = [];
        let at = 0;
        for (const line of lines) {
          const start = at + 1; // after "["
          keySpans.push(start, start + Buffer.byteLength(line.slice(1, line.indexOf('", ') + 1)));
          at += Buffer.byteLength(line);
          lineEnds.push(at);
        }
        await b.addEncoded({ rows: lines.length, bytes, lineEnds, keySpans });
      }
      const [ma, mb] = [await a.finish(), await b.finish()];
      expect(mb).toEqual(ma);
      for (const m of ma) expect(readFileSync(join(byBytes, m.file))).toEqual(readFileSync(join(byValue, m.file)));
    }
  });

  it("writes an empty table as one module", async () => {
    const { files, modules } = await write([], 10);
    expect(files).toEqual(["t.ts"]);
    expect(modules[0]!.rows).toBe(0);
  });
});
