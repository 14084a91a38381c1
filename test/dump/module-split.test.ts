import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { dump } from "../../src/dump/dump.ts";

/** Rows per module of each data file of a dump, by file name. */
function rowsPerFile(out: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const file of readdirSync(join(out, "data")).sort()) {
    counts[file] = readFileSync(join(out, "data", file), "utf8").split("\n").filter((l) => l.startsWith("[")).length;
  }
  return counts;
}

describe("splitting a table over --max-row-count modules", () => {
  it("writes parts of at most N rows, numbered in order, never an empty one; a table of at most N rows (or none) is one module", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gen-dump-split-"));
    const path = join(dir, "split.sqlite3");
    const db = new Database(path);
    db.exec("CREATE TABLE exact (id INTEGER PRIMARY KEY); CREATE TABLE odd (id INTEGER PRIMARY KEY); CREATE TABLE none (id INTEGER PRIMARY KEY); CREATE TABLE one (id INTEGER PRIMARY KEY)");
    db.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6) INSERT INTO exact SELECT i FROM n");
    db.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 7) INSERT INTO odd SELECT i FROM n");
    db.exec("INSERT INTO one VALUES (1)");
    db.close();
    const out = join(dir, "out");
    const report = await dump({ db: path, outputDir: out, maxRowCount: 3 });
    const files = rowsPerFile(out);
    // Tables of at most N rows: one unnumbered module, also when empty.
    expect([files["none.ts"], files["one.ts"], files["exact.ts"], files["odd.ts"]]).toEqual([0, 1, undefined, undefined]);
    for (const [table, rows] of [["exact", 6], ["odd", 7]] as const) {
      const parts = Object.keys(files).filter((f) => f.startsWith(`${table}.`));
      // Numbered in order from 001, none empty, none over N, all rows there.
      expect(parts).toEqual(parts.map((_, i) => `${table}.${String(i + 1).padStart(3, "0")}.ts`));
      expect(parts.length).toBeGreaterThanOrEqual(Math.ceil(rows / 3));
      for (const part of parts) expect(files[part]).toBeGreaterThanOrEqual(1);
      for (const part of parts) expect(files[part]).toBeLessThanOrEqual(3);
      expect(parts.reduce((n, f) => n + files[f]!, 0)).toBe(rows);
    }
    expect(report.tables.map((t) => [t.table, t.rows])).toEqual([["exact", 6], ["none", 0], ["odd", 7], ["one", 1]]);
    const restore = readFileSync(join(out, "restore.ts"), "utf8");
    expect(restore.indexOf("data/odd.001.ts")).toBeLessThan(restore.indexOf("data/odd.002.ts"));
    expect(restore.indexOf("data/odd.002.ts")).toBeLessThan(restore.indexOf("data/odd.003.ts"));
  });
});
