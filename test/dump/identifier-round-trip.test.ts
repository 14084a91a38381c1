import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { dump } from "../../src/dump/dump.ts";
import { restoreDirectory } from "../../src/restore/dump-directory.ts";
import { sqliteState } from "../dialects/sqlite-compare.ts";
import { NASTY_PIECES } from "../support/value-arbitraries.ts";

/**
 * Adversarial table and column names through the whole pipeline: SQLite → dump (file
 * names, schema.ts, restore.ts, data module headers) → restore → the same database.
 * SQLite stores names as UTF-8 C strings, so names are well-formed and NUL-free; it
 * compares them ignoring ASCII case, so names in one scope differ beyond that.
 */
const nameArb = fc
  .oneof(
    fc.array(fc.oneof(fc.constantFrom(...NASTY_PIECES, "..", "/", "<>", "restore", "Users", "users", " ", "-2e-", "A", "a"), fc.string({ maxLength: 2 })), { maxLength: 5 }).map((p) => p.join("")),
    fc.string({ unit: "grapheme", maxLength: 6 }),
    fc.constantFrom("", "rowid", "oid", "_rowid_", "__proto__", "constructor", "$&"),
  )
  .filter((s) => isWellFormed(s) && !s.includes("\0") && !s.toLowerCase().startsWith("sqlite_"));

/** No lone surrogates (encodeURIComponent refuses them). */
function isWellFormed(text: string): boolean {
  try {
    encodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

const foldAscii = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

const databaseArb = fc.uniqueArray(
  fc.record({ name: nameArb, columns: fc.uniqueArray(nameArb, { minLength: 1, maxLength: 4, selector: foldAscii }), rows: fc.nat({ max: 3 }) }),
  { minLength: 1, maxLength: 4, selector: (t) => foldAscii(t.name) },
);

describe("adversarial identifiers round-trip through dump and restore", () => {
  const dir = mkdtempSync(join(tmpdir(), "gen-dump-identifiers-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let run = 0;

  it("every table, column, index and value comes back exactly", async () => {
    await fc.assert(
      fc.asyncProperty(databaseArb, async (tables) => {
        const at = join(dir, String(++run));
        const source = join(at, "source", "db.sqlite3");
        const target = join(at, "target", "db.sqlite3");
        for (const sub of ["source", "target"]) mkdirSync(join(at, sub), { recursive: true });
        const db = new Database(source);
        tables.forEach((t, i) => {
          db.exec(`CREATE TABLE ${q(t.name)} (${t.columns.map((c) => `${q(c)} TEXT`).join(", ")})`);
          db.exec(`CREATE INDEX ${q(`i${i} ${t.name}`)} ON ${q(t.name)} (${q(t.columns[0]!)})`);
          const insert = db.prepare(`INSERT INTO ${q(t.name)} VALUES (${t.columns.map(() => "?").join(", ")})`);
          for (let r = 0; r < t.rows; r++) insert.run(...t.columns.map((c) => `${c}|${t.name}|${r}`));
        });
        db.close();
        await dump({ db: source, outputDir: join(at, "dump"), maxRowCount: 2 });
        await restoreDirectory(join(at, "dump"), { db: target, noinput: true });
        expect(sqliteState(target)).toEqual(sqliteState(source));
      }),
      { numRuns: 25 },
    );
  }, 240_000);
});
