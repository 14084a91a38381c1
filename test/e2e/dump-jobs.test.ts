import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { damageOverflowPage } from "../support/sqlite-damage.ts";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dump } from "../../src/dump/dump.ts";
import { readDataModule } from "../../src/encoding/literal-reader.ts";
import { genDump, readTree, startGenDump, tempDir } from "../support/cli.ts";
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

/**
 * Give one row of `events` a value on an overflow page and break the page's link, so that
 * reading that row (and only it) fails with "database disk image is malformed".
 * @see https://www.sqlite.org/fileformat.html#ovflpgs
 */
function damageOneRow(path: string, id: number): void {
  const db = new Database(path);
  const changed = db.prepare("UPDATE events SET kind = ? WHERE id = ?").run("A".repeat(20_000), id).changes;
  if (changed !== 1) throw new Error(`no event ${id}`);
  const pageSize = Number(db.pragma("page_size", { simple: true }));
  db.close();
  damageOverflowPage(path, pageSize);
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

/** Chunked tables: big enough for key ranges at --max-row-count 1000 (more than 2 × 1000 rows). */
const CHUNK_ROWS = 20_000;
const CHUNK_MAX = "1000";

/** --jobs 1, 2 and 3 of `db` at --max-row-count 1000 (extra args before OUTPUT_DIR): the trees, all expected equal. */
async function dumpsByJobs(db: string, dir: string, name: string, extra: readonly string[] = []): Promise<Record<string, string>[]> {
  const trees: Record<string, string>[] = [];
  for (const jobs of ["1", "2", "3"]) {
    const out = join(dir, `${name}-${jobs}`);
    const result = await genDump(["--db", db, "--max-row-count", CHUNK_MAX, "--jobs", jobs, ...extra, out]);
    expect(result.code, result.stderr).toBe(0);
    trees.push(readTree(out));
    expect(readdirSync(out).sort()).not.toContain("segments");
  }
  return trees;
}

/**
 * A table of CHUNK_ROWS rows read in key ranges (INTEGER PRIMARY KEY with gaps and
 * negative keys), one keyed by the hidden rowid, and a small one.
 */
function buildChunkedSqlite(path: string, journal: "delete" | "wal"): void {
  const db = new Database(path);
  db.pragma(`journal_mode = ${journal}`);
  db.exec(`
    CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT, amount REAL, payload BLOB);
    CREATE TABLE notes (code TEXT PRIMARY KEY, body TEXT);
    CREATE TABLE small (x INTEGER);
    INSERT INTO small VALUES (1), (2);
  `);
  const event = db.prepare("INSERT INTO events VALUES (?, ?, ?, ?)");
  const note = db.prepare("INSERT INTO notes VALUES (?, ?)");
  db.transaction(() => {
    for (let i = 0; i < CHUNK_ROWS; i++) {
      const id = i < 100 ? -1_000_000 + i * 7 : i * 3 + (i % 5 === 0 ? 2 ** 40 : 0);
      event.run(id, `kind ${i % 13} ✓ "q" \\`, i % 9 === 0 ? null : i / 8, i % 4 === 0 ? Buffer.from([i % 256, 10, 0]) : null);
    }
    for (let i = 0; i < 6_000; i++) note.run(`code-${(i * 7919) % 6_000}`, `line\n${i}`);
  })();
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

  it.each(["delete", "wal"] as const)("reads big tables in key ranges, the same bytes with --jobs 1, 2 and 3 (journal mode %s)", async (journal) => {
    const db = join(dir, `chunks-${journal}.sqlite3`);
    buildChunkedSqlite(db, journal);
    const [one, two, three] = await dumpsByJobs(db, dir, `chunks-${journal}`);
    expect(two).toEqual(one);
    expect(three).toEqual(one);
    expect(partsOf(join(dir, `chunks-${journal}-2`)).get("events")).toBeGreaterThan(20);
    // One table alone: two readers means its key ranges were read by two connections.
    const report = await dump({ db, outputDir: join(dir, `chunks-${journal}-readers`), jobs: 2, maxRowCount: 1000, selection: { tables: ["events"] } });
    expect(report.readers).toBe(journal === "delete" ? 2 : 1);
    expect(report.tables).toEqual([expect.objectContaining({ table: "events", rows: CHUNK_ROWS })]);
    const simulated = await dump({ db, outputDir: join(dir, `chunks-${journal}-1`), jobs: 3, maxRowCount: 1000, simulate: true });
    expect(simulated.tables.find((t) => t.table === "events")?.files).toEqual(Object.keys(one).filter((f) => f.startsWith("data/events.")).sort());
  });

  it("a key range that cannot be read fails the dump (nothing left), or only its table with --tolerate", async () => {
    const db = join(dir, "chunks-damaged.sqlite3");
    buildChunkedSqlite(db, "delete");
    damageOneRow(db, 12_346 * 3); // in a middle key range
    const strictOut = join(dir, "chunks-damaged-strict");
    const strict = await genDump(["--db", db, "--max-row-count", CHUNK_MAX, "--jobs", "2", strictOut]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/table events.*malformed/i);
    expect(readdirSync(dir).filter((f) => f.startsWith(".chunks-damaged-strict") || f === "chunks-damaged-strict")).toEqual([]);
    const trees: Record<string, string>[] = [];
    for (const jobs of ["1", "2"]) {
      const out = join(dir, `chunks-damaged-tolerated-${jobs}`);
      const result = await genDump(["--db", db, "--max-row-count", CHUNK_MAX, "--jobs", jobs, "--tolerate", out]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/1 table\(s\) could not be read[\s\S]*events: .*malformed/i);
      trees.push(readTree(out));
    }
    expect(trees[1]).toEqual(trees[0]);
    expect(Object.keys(trees[1]!).filter((f) => f.startsWith("data/"))).toEqual(expect.arrayContaining(["data/notes.001.ts", "data/small.ts"]));
    expect(Object.keys(trees[1]!).some((f) => f.startsWith("data/events") || f.startsWith("segments"))).toBe(false);
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

describe("gen-dump --jobs on PostgreSQL: big tables in key ranges", () => {
  let db: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    dir = tempDir();
    db = await createTestDatabase("jobs_chunks");
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(`
        CREATE TABLE ledger (id int4 PRIMARY KEY, amount bigint NOT NULL, note text);
        INSERT INTO ledger SELECT i, 1000, E'note "' || i || E'"\\n ✓' FROM generate_series(1, ${CHUNK_ROWS}) AS i;
        CREATE TABLE sparse (id bigint PRIMARY KEY, v text);
        INSERT INTO sparse SELECT i::bigint * i * 1000 - 5000000000, md5(i::text) FROM generate_series(1, 5000) AS i;
        CREATE TABLE pairs (a int, b int, PRIMARY KEY (a, b));
        INSERT INTO pairs SELECT i % 97, i FROM generate_series(1, 3000) AS i;
        ANALYZE;
      `);
    } finally {
      await client.end();
    }
  });

  afterAll(async () => {
    await db?.drop();
  });

  it("writes the same bytes with --jobs 1, 2 and 3, and reads one big table with several connections", async () => {
    const [one, two, three] = await dumpsByJobs(db.url, dir, "pg-chunks");
    expect(two).toEqual(one);
    expect(three).toEqual(one);
    expect(partsOf(join(dir, "pg-chunks-3")).get("public.ledger")).toBeGreaterThan(20);
    expect(partsOf(join(dir, "pg-chunks-3")).get("public.sparse")).toBeGreaterThan(5);
    const report = await dump({ db: db.url, outputDir: join(dir, "pg-chunks-readers"), jobs: 3, maxRowCount: 1000, selection: { tables: ["public.ledger"] } });
    expect(report.readers).toBe(3);
    expect(report.tables).toEqual([expect.objectContaining({ table: "public.ledger", rows: CHUNK_ROWS })]);
  });

  it("reads every key range of a table in one snapshot while a writer commits across them", async () => {
    const writer = new pg.Client({ connectionString: db.url });
    await writer.connect();
    let commits = 0;
    let stop = false;
    // Each commit adds 1 to a row in every key range: in any one snapshot they are equal.
    const marked = [1, 5_001, 10_001, 15_001, CHUNK_ROWS].map(BigInt);
    const writing = (async () => {
      while (!stop) {
        await writer.query(`UPDATE ledger SET amount = amount + 1 WHERE id IN (${marked.join(", ")})`);
        commits++;
      }
    })();
    try {
      while (commits < 20) await new Promise((r) => setTimeout(r, 5));
      const before = commits;
      const out = join(dir, "pg-chunks-live");
      const result = await startGenDump(["--db", db.url, "--max-row-count", CHUNK_MAX, "--jobs", "2", "-t", "public.ledger", out]).done;
      expect(result.code, result.stderr).toBe(0);
      expect(commits - before).toBeGreaterThan(20);
      const amounts = new Map<bigint, bigint>();
      let rows = 0;
      for (const file of readdirSync(join(out, "data")).sort()) {
        for await (const batch of readDataModule(join(out, "data", file), () => ["integer", "integer", "text"])) {
          for (const row of batch.rows) {
            const [id, amount] = row as [bigint, bigint];
            rows++;
            if (marked.includes(id)) amounts.set(id, amount);
          }
        }
      }
      expect(rows).toBe(CHUNK_ROWS);
      expect(readdirSync(join(out, "data")).length).toBeGreaterThan(20);
      const seen = [...amounts.values()];
      expect(seen.length).toBe(marked.length);
      expect(seen[0]!).toBeGreaterThan(1000n);
      expect(new Set(seen).size, `amounts ${seen.join(", ")}`).toBe(1);
    } finally {
      stop = true;
      await writing;
      await writer.end();
    }
  });
});
