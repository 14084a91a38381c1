import { copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { genDump, readTree, startGenDump, tempDir } from "../support/cli.ts";

const BIG_ROWS = 150_000;

/** A WAL database with a table big enough that dumping it takes a while, and a small one read after it. */
function buildLiveDatabase(path: string): void {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.exec("CREATE TABLE big (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER, price REAL); CREATE TABLE zlog (id INTEGER PRIMARY KEY AUTOINCREMENT, msg TEXT)");
  const insert = db.prepare("INSERT INTO big VALUES (?, ?, ?, ?)");
  db.transaction(() => {
    for (let i = 1; i <= BIG_ROWS; i++) insert.run(i, `name ${i} "q" ü`, i % 977, i / 7);
  })();
  db.exec("INSERT INTO zlog (msg) VALUES ('before')");
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
}

/** Wait until a data module of `table` appears in the dump's temporary sibling directory. */
async function waitForTempModule(parent: string, outName: string, table: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const temp = readdirSync(parent).find((f) => f.startsWith(`.${outName}.gen-dump-tmp-`));
    if (temp !== undefined && existsSync(join(parent, temp, "data")) && readdirSync(join(parent, temp, "data")).some((f) => f.startsWith(`${table}.`))) {
      return join(parent, temp);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`gen-dump never started writing ${table}`);
}

// Many real gen-dump / tsx processes per test: slow on a loaded machine.
describe("gen-dump reads one snapshot and never leaves a complete-looking directory behind", { timeout: 180_000 }, () => {
  let dir: string;
  let copy: string;

  beforeAll(() => {
    dir = tempDir();
    mkdirSync(join(dir, "copy"));
    copy = join(dir, "copy", "app.sqlite3"); // never written to: the state before
    buildLiveDatabase(copy);
  });

  for (const jobs of [[], ["--jobs", "2"]]) {
    it(`dumps the state of its start while another process commits changes to every table${jobs.length > 0 ? ` (${jobs.join(" ")})` : ""}`, async () => {
      const name = `during${jobs.length > 0 ? "-jobs" : ""}`;
      const out = join(dir, name);
      // A fresh copy each time, in its own directory (the file name is what restore.ts records).
      const live = join(dir, `live-${name}`, "app.sqlite3");
      mkdirSync(join(dir, `live-${name}`));
      copyFileSync(copy, live);
      const running = startGenDump(["--db", live, ...jobs, out]);
      await waitForTempModule(dir, name, "big");
      const writer = new Database(live);
      writer.exec(`
        BEGIN;
        DELETE FROM big WHERE id <= 1000;
        UPDATE big SET name = 'changed' WHERE id > ${BIG_ROWS - 1000};
        INSERT INTO big (id, name) VALUES (${BIG_ROWS + 1}, 'new');
        INSERT INTO zlog (msg) VALUES ('during');
        CREATE TABLE added (x);
        PRAGMA user_version = 7;
        COMMIT;
      `);
      writer.close();
      // The writer committed while the dump was still running.
      expect(existsSync(out)).toBe(false);
      const result = await running.done;
      expect(result.code, result.stderr).toBe(0);
      const before = join(dir, `before-${name}`);
      expect((await genDump(["--db", copy, before])).code).toBe(0);
      expect(readTree(out)).toEqual(readTree(before));
    });
  }

  for (const signal of ["SIGKILL", "SIGINT", "SIGTERM"] as const) {
    it(`a dump stopped by ${signal} mid-table leaves no OUTPUT_DIR and nothing that looks like a dump`, async () => {
      const name = `stopped-${signal}`;
      const out = join(dir, name);
      const running = startGenDump(["--db", copy, out]);
      await waitForTempModule(dir, name, "big");
      running.child.kill(signal);
      const result = await running.done;
      expect(existsSync(out)).toBe(false);
      const left = readdirSync(dir).filter((f) => f.includes(name));
      if (signal === "SIGKILL") {
        expect(result.signal).toBe("SIGKILL");
        for (const entry of left) {
          expect(entry.startsWith(".")).toBe(true); // only a hidden temporary sibling
          expect(existsSync(join(dir, entry, "restore.ts"))).toBe(false);
          expect(existsSync(join(dir, entry, "schema.ts"))).toBe(false);
        }
      } else {
        // A signal it can catch: it removes its temporary directory and says so.
        expect(result.code).toBe(signal === "SIGINT" ? 130 : 143);
        expect(result.stderr).toContain(`interrupted (${signal}); nothing was written`);
        expect(left).toEqual([]);
      }
    });
  }
});
