import { readdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dump } from "../../src/dump/dump.ts";
import { genDump, readTree, tempDir } from "../support/cli.ts";
import { type TestDatabase, createTestDatabase } from "../support/postgres-db.ts";
import { POSTGRES_FIXTURE_SCRIPTS } from "../dialects/postgres-fixture.ts";

/**
 * `--jobs N` reads tables in worker threads on one shared snapshot; the dump must be the
 * same bytes as with one job, split tables included.
 */

const BIG_ROWS = 400;
const MAX_ROWS = "40";

/** Data-module files per table stem: a split table has several. */
function partsOf(dir: string): Map<string, number> {
  const parts = new Map<string, number>();
  for (const file of readdirSync(join(dir, "data"))) {
    const stem = file.replace(/(\.\d+)?\.ts$/, "");
    parts.set(stem, (parts.get(stem) ?? 0) + 1);
  }
  return parts;
}

async function dumpWithJobs(db: string, out: string, jobs: string): Promise<Record<string, string>> {
  const result = await genDump(["--db", db, "--max-row-count", MAX_ROWS, "--jobs", jobs, out]);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout + result.stderr).toBe(""); // off a terminal: no progress bars
  return readTree(out);
}

function buildSqlite(path: string, journal: "delete" | "wal"): void {
  const db = new Database(path);
  db.pragma(`journal_mode = ${journal}`);
  db.exec(`
    CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL, mentor_id INTEGER REFERENCES authors (id));
    CREATE TABLE books (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES authors (id), title TEXT, price NUMERIC, cover BLOB);
    CREATE TABLE tags (book_id INTEGER, tag TEXT);
    CREATE TABLE empty_one (x TEXT);
  `);
  const author = db.prepare("INSERT INTO authors VALUES (?, ?, ?)");
  for (let i = 1; i <= 30; i++) author.run(i, `Author "${i}" \\ ü\n`, i > 1 ? i - 1 : null);
  const book = db.prepare("INSERT INTO books VALUES (?, ?, ?, ?, ?)");
  for (let i = 1; i <= BIG_ROWS; i++) book.run(i, 1 + (i % 30), `Title ${i} ✓`, i % 7 === 0 ? null : i / 4, i % 3 === 0 ? Buffer.from([i % 256, 0, 255]) : null);
  const tag = db.prepare("INSERT INTO tags VALUES (?, ?)");
  for (let i = 1; i <= 120; i++) tag.run(1 + (i % BIG_ROWS), `tag-${i % 9}`);
  db.close();
}

describe("gen-dump --jobs on SQLite", () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
  });

  it.each(["delete", "wal"] as const)("--jobs 2 writes the same bytes as --jobs 1 (journal mode %s)", async (journal) => {
    const db = join(dir, `jobs-${journal}.sqlite3`);
    buildSqlite(db, journal);
    const one = await dumpWithJobs(db, join(dir, `${journal}-1`), "1");
    const two = await dumpWithJobs(db, join(dir, `${journal}-2`), "2");
    expect(two).toEqual(one);
    expect(partsOf(join(dir, `${journal}-2`)).get("books")).toBeGreaterThan(1);
  });

  it("--simulate reports the same modules with --jobs 2 as with --jobs 1", async () => {
    const db = join(dir, "jobs-simulate.sqlite3");
    buildSqlite(db, "delete");
    const args = ["--db", db, "--simulate", "--max-row-count", MAX_ROWS, join(dir, "simulated")];
    const one = await genDump([...args, "--jobs", "1"]);
    const two = await genDump([...args, "--jobs", "2"]);
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(one.stdout).toMatch(/books: 400 rows in \d+ module/);
  });

  it("reads with worker threads where the snapshot can be shared, with one connection in WAL mode", async () => {
    for (const [journal, readers] of [["delete", 2], ["wal", 1]] as const) {
      const db = join(dir, `readers-${journal}.sqlite3`);
      buildSqlite(db, journal);
      const report = await dump({ db, outputDir: join(dir, `readers-${journal}`), jobs: 2 });
      expect(report.readers, journal).toBe(readers);
    }
  });

  it("refuses a --jobs that is not a positive whole number", async () => {
    const result = await genDump(["--db", join(dir, "absent.sqlite3"), "--jobs", "0", join(dir, "zero")]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("--jobs");
  });
});

describe("gen-dump --jobs on PostgreSQL", () => {
  let db: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    dir = tempDir();
    db = await createTestDatabase("jobs");
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      for (const script of POSTGRES_FIXTURE_SCRIPTS) await client.query(script);
      await client.query(`CREATE TABLE big_rows (id bigint PRIMARY KEY, note text, amount numeric, at timestamptz, bytes bytea)`);
      await client.query(
        `INSERT INTO big_rows SELECT i, E'row "' || i || E'"\\n\\\\ é', i / 3.0, timestamptz '2024-01-01 00:00:00+00' + i * interval '1 minute', decode(md5(i::text), 'hex')
         FROM generate_series(1, ${BIG_ROWS}) AS i`,
      );
      await client.query("ANALYZE");
    } finally {
      await client.end();
    }
  });

  afterAll(async () => {
    await db?.drop();
  });

  it("--jobs 3 writes the same bytes as --jobs 1, split tables included", async () => {
    const one = await dumpWithJobs(db.url, join(dir, "pg-1"), "1");
    const three = await dumpWithJobs(db.url, join(dir, "pg-3"), "3");
    expect(Object.keys(three).length).toBeGreaterThan(6);
    expect(three).toEqual(one);
    expect(partsOf(join(dir, "pg-3")).get("public.big_rows")).toBeGreaterThan(1);
    const report = await dump({ db: db.url, outputDir: join(dir, "pg-readers"), jobs: 3 });
    expect(report.readers).toBe(3);
  });
});
