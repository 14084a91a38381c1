import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { genDump, repoRoot, tempDir, tsx, tsxRestore } from "../support/cli.ts";

/** Rows of a SQLite table, as plain objects. */
function rows(path: string, sql: string): unknown[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

/**
 * The walkthrough of samples/app/README.md, step by step through the real CLI, in a copy
 * of the sample whose node_modules links gen-dump (as `npm install gen-dump` would).
 */
describe("samples/app walkthrough: v1 data, dump, upgrade to v2, restore", () => {
  let app: string;

  beforeAll(async () => {
    app = join(tempDir("gen-dump-sample-app-"), "app");
    cpSync(join(repoRoot, "samples", "app"), app, { recursive: true });
    mkdirSync(join(app, "node_modules"));
    symlinkSync(repoRoot, join(app, "node_modules", "gen-dump"));
    symlinkSync(join(repoRoot, "node_modules", "better-sqlite3"), join(app, "node_modules", "better-sqlite3"));
    const install = await tsx("app.ts", ["install"], { cwd: app });
    expect(install.code, install.stderr).toBe(0);
    const dumped = await genDump(["dumps/v1"], { cwd: app });
    expect(dumped.code, dumped.stderr).toBe(0);
    expect(readFileSync(join(app, "dumps", "v1", "restore.ts"), "utf8")).toContain('appVersion: "1"');
    const upgrade = await tsx("app.ts", ["upgrade", "2"], { cwd: app });
    expect(upgrade.code, upgrade.stderr).toBe(0);
  });

  it("--simulate prints rows in and out per step and table, and writes nothing", async () => {
    const simulated = await tsxRestore(join(app, "dumps", "v1"), ["--db", "simulated.sqlite3", "--simulate"], { cwd: app });
    expect(simulated.code, simulated.stderr).toBe(0);
    expect(simulated.stdout).toContain('Migration from application version "1" to "2":\nStep "2":\n');
    expect(simulated.stdout).toContain("  customer: 3 rows in → 0 rows out\n");
    expect(simulated.stdout).toContain("  client: 0 rows in → 3 rows out\n");
    expect(simulated.stdout).toContain("  address: 0 rows in → 2 rows out\n");
    const file = join(app, "simulated.sqlite3");
    expect(existsSync(file) ? rows(file, "SELECT name FROM sqlite_master") : []).toEqual([]);
  });

  it("restores the v1 dump as v2 data: renamed, split, computed", async () => {
    const restored = await tsxRestore(join(app, "dumps", "v1"), ["--db", "app-v2.sqlite3"], { cwd: app });
    expect(restored.code, restored.stderr).toBe(0);
    const db = join(app, "app-v2.sqlite3");
    expect(rows(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).toEqual([{ name: "address" }, { name: "client" }, { name: "orders" }]);
    expect(rows(db, "SELECT * FROM client ORDER BY id")).toEqual([
      { id: 1, name: "Ada Lovelace", slug: "ada-lovelace" },
      { id: 2, name: "Alan Turing", slug: "alan-turing" },
      { id: 3, name: "Grace Hopper", slug: "grace-hopper" },
    ]);
    expect(rows(db, "SELECT * FROM address ORDER BY id")).toEqual([
      { id: 1, client_id: 1, street: "12 St James's Square", city: "London" },
      { id: 3, client_id: 3, street: "1 Navy Way", city: "Arlington" },
    ]);
    expect(rows(db, "SELECT id, client_id FROM orders ORDER BY id")).toEqual([{ id: 10, client_id: 1 }, { id: 11, client_id: 1 }, { id: 12, client_id: 3 }]);
    const shown = await tsx("app.ts", ["show", "app-v2.sqlite3"], { cwd: app });
    expect(shown.stdout).toContain('{"id":1,"name":"Ada Lovelace","slug":"ada-lovelace"}');
  });

  it("--data-only loads into the schema v2 made by the application itself", async () => {
    const install = await tsx("app.ts", ["install", "app-own.sqlite3"], { cwd: app });
    expect(install.code, install.stderr).toBe(0);
    const restored = await tsxRestore(join(app, "dumps", "v1"), ["--db", "app-own.sqlite3", "--data-only"], { cwd: app });
    expect(restored.code, restored.stderr).toBe(0);
    expect(rows(join(app, "app-own.sqlite3"), "SELECT count(*) AS n FROM address")).toEqual([{ n: 2 }]);
  });

  it("a hand edit in restore.ts runs after the migration steps, on the final tables", async () => {
    const copy = join(app, "dumps", "edited");
    cpSync(join(app, "dumps", "v1"), copy, { recursive: true });
    const entry = join(copy, "restore.ts");
    const edit = '{ table: "client", row: (row) => ({ ...row, name: String(row.name).toUpperCase() }) },\n];';
    writeFileSync(entry, readFileSync(entry, "utf8").replace(/\n\];/, `\n  ${edit}`));
    const restored = await tsxRestore(copy, ["--db", "edited.sqlite3"], { cwd: app });
    expect(restored.code, restored.stderr).toBe(0);
    expect(rows(join(app, "edited.sqlite3"), "SELECT name, slug FROM client WHERE id = 1")).toEqual([{ name: "ADA LOVELACE", slug: "ada-lovelace" }]);
  });

  it("--to-version 1 restores the dump as it is, and a missing migrations module is a clear error", async () => {
    const same = await tsxRestore(join(app, "dumps", "v1"), ["--db", "same.sqlite3", "--to-version", "1"], { cwd: app });
    expect(same.code, same.stderr).toBe(0);
    expect(rows(join(app, "same.sqlite3"), "SELECT count(*) AS n FROM customer")).toEqual([{ n: 3 }]);
    const missing = await tsxRestore(join(app, "dumps", "v1"), ["--db", "x.sqlite3", "--migrations", "nowhere.ts"], { cwd: app });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("nowhere.ts does not load");
    expect(missing.stderr.split("\n").filter((l) => l.trim() !== "")).toHaveLength(1);
  });
});
