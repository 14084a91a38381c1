import { mkdirSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { genDump, readTree, run, tempDir, tsxRestore } from "../support/cli.ts";
import { sqliteState } from "../dialects/sqlite-compare.ts";
import { buildRichDatabase } from "../dialects/sqlite-fixture.ts";

/** Table names that are unsafe as file names, on top of the rich fixture's awkward ones. */
const PATH_NAMES = ["a/b", "..", "../escape", "<>", "con", ".hidden", "data", "schema", "C:\\x", "Users", "-55-sers", "tab\tname", "*?|:"] as const;

function addPathNames(path: string): void {
  const db = new Database(path);
  try {
    PATH_NAMES.forEach((name, i) => {
      const q = `"${name.replaceAll('"', '""')}"`;
      db.exec(`CREATE TABLE ${q} (id INTEGER PRIMARY KEY, ${q} TEXT)`);
      db.prepare(`INSERT INTO ${q} VALUES (?, ?)`).run(i, name);
    });
  } finally {
    db.close();
  }
}

/** Every path under `root`, relative to it. */
function listAll(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      out.push(relative(root, path));
      if (statSync(path).isDirectory()) walk(path);
    }
  };
  walk(root);
  return out.sort();
}

/**
 * The Double Dump Test through the real binaries on a database covering every case of the
 * issue: affinities, STRICT, WITHOUT ROWID, AUTOINCREMENT counters, rowids without an
 * INTEGER PRIMARY KEY, generated columns, CHECKs, partial and expression indexes,
 * collations, foreign keys (cascade, self, cycle, dangling), a view, triggers that would
 * change data if they fired during the load, user_version, application_id, values whose
 * storage class differs from their column's affinity, invalid UTF-8, and table names that
 * are unsafe as file names.
 */
// Many real gen-dump / tsx processes per test: slow on a loaded machine.
describe("Double Dump Test on a database covering every SQLite case", { timeout: 180_000 }, () => {
  let dir: string;
  let source: string;

  beforeAll(() => {
    dir = tempDir();
    mkdirSync(join(dir, "source"));
    mkdirSync(join(dir, "restored"));
    source = join(dir, "source", "rich.sqlite3");
    buildRichDatabase(source);
    addPathNames(source);
  });

  it("dump, restore, dump again: identical files, identical sqlite_master, values, storage classes and counters", async () => {
    const a = join(dir, "dumps", "a");
    const b = join(dir, "dumps", "b");
    const restored = join(dir, "restored", "rich.sqlite3");
    const before = listAll(dir);
    const first = await genDump(["--db", source, a]);
    expect(first.code, first.stderr).toBe(0);
    // Nothing written outside OUTPUT_DIR (its parent is created), whatever the table names.
    expect(listAll(dir).filter((p) => !before.includes(p) && p !== "dumps" && !p.startsWith(`dumps/a`))).toEqual([]);
    expect(readdirSync(a).sort()).toEqual(["checksums.sha256", "data", "dump-helpers.ts", "package.json", "restore.ts", "schema.ts", "tsconfig.json"]);
    const modules = readdirSync(join(a, "data"));
    for (const file of modules) expect(file).toMatch(/^[a-z0-9_.~-]+\.ts$/);
    const counter = new Database(source, { readonly: true });
    const tableCount = counter.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'").pluck().get() as number;
    counter.close();
    expect(new Set(modules.map((f) => f.toLowerCase())).size).toBe(tableCount);

    const restore = await tsxRestore(a, ["--db", restored]);
    expect(restore.code, restore.stderr).toBe(0);
    expect(sqliteState(restored)).toEqual(sqliteState(source));
    const second = await genDump(["--db", restored, b]);
    expect(second.code, second.stderr).toBe(0);
    expect(readTree(b)).toEqual(readTree(a));

    // The triggers did not fire during the load: `child_audit` would have added "!" to names.
    const db = new Database(restored, { readonly: true });
    expect(db.prepare("SELECT name FROM parent ORDER BY id").pluck().all()).toEqual(["Alice", "bob"]);
    db.close();
    const tsc = await run(join("node_modules", ".bin", "tsc"), ["--noEmit", "-p", a]);
    expect(tsc.code, tsc.stdout).toBe(0);
  });
});
