import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { tmpdir } from "node:os";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDdt } from "../../src/cli/ddt-command.ts";
import { doubleDumpTest } from "../../src/diff/double-dump-test.ts";
import { compareTrees } from "../../src/diff/tree-compare.ts";
import { type TestDatabase, createTestDatabase, testAdminUrl } from "../support/postgres-db.ts";
import { sqliteFacts } from "../support/sqlite-facts.ts";
import { buildShop, dumpTo, pgExec } from "../check/dump-fixtures.ts";

/** Files a SQLite scratch database of this process could have left behind. */
function scratchFiles(): string[] {
  return readdirSync(tmpdir()).filter((f) => f.startsWith(`gen-dump-scratch-${process.pid}-`) || f.startsWith("gen-dump-ddt-"));
}

describe("doubleDumpTest on SQLite", () => {
  let source: string;

  beforeAll(async () => {
    source = await buildShop();
  });

  it("passes on the shop sample, only reads the source, and leaves nothing behind", async () => {
    const before = sqliteFacts(source);
    const modified = statSync(source).mtimeMs;
    const leftovers = scratchFiles();
    const report = await doubleDumpTest({ db: source });
    expect(report.passed, formatDdt(report)).toBe(true);
    expect(report.fileDifference).toBeNull();
    expect(report.diff.tables).toHaveLength(7);
    expect(formatDdt(report)).toMatch(/^PASS: .*shop\.sqlite3: dump → restore → dump gave identical files \(7 tables, 23 rows\)\n$/);
    expect(sqliteFacts(source)).toEqual(before);
    expect(statSync(source).mtimeMs).toBe(modified);
    expect(scratchFiles()).toEqual(leftovers);
  });

  it("fails, with a readable diff, when a value does not round-trip", async () => {
    const report = await doubleDumpTest({
      db: source,
      // Content-defined parts of at most 2 rows: B-2 is the first row of the second part.
      maxRowCount: 2,
      // A lossy step on the way back in, as a 4-byte float column would make: 0.01 becomes 0.009999999776482582.
      transforms: [{ table: "products", row: (row) => (typeof row.weight_kg === "number" ? { ...row, weight_kg: Math.fround(row.weight_kg) } : row) }],
    });
    expect(report.passed).toBe(false);
    const products = report.diff.tables.find((t) => t.table === "products")!;
    expect(products.changes.map((c) => [c.key, c.columns])).toEqual([[{ sku: '"B-2"' }, [{ column: "weight_kg", old: "0.01", new: "0.009999999776482582" }]]]);
    expect(report.fileDifference).toMatchObject({ file: "data/products.002.ts", line: 7, a: expect.stringContaining("0.01,"), b: expect.stringContaining("0.009999999776482582") });
    const text = formatDdt(report);
    expect(text).toContain("FAIL: ");
    expect(text).toContain("products: 1 changed, 0 added, 0 removed (3 → 3 rows)\n");
    expect(text).toContain("--- first/products\n+++ second/products\n");
    expect(text).toContain(' // sku = "B-2": weight_kg 0.01 → 0.009999999776482582 (data/products.002.ts:7)\n');
    expect(text).toContain('-["B-2", "Bolt \\\\n not a newline", 15, 0.01, "[]"],\n');
    expect(text).toContain("first file difference: data/products.002.ts:7\n");
  });

  it("keeps the two dumps on request", async () => {
    const report = await doubleDumpTest({ db: source, keep: true });
    expect(report.dumps).not.toBeNull();
    expect(existsSync(`${report.dumps!.first}/restore.ts`)).toBe(true);
    expect(existsSync(`${report.dumps!.second}/restore.ts`)).toBe(true);
    rmSync(dirname(report.dumps!.first), { recursive: true, force: true });
  });
});

describe("doubleDumpTest on PostgreSQL", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase("ddt");
    await pgExec(
      database.url,
      `CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
       CREATE TABLE people (id serial PRIMARY KEY, name text NOT NULL, mood mood, born timestamptz, tags text[], score double precision);
       CREATE TABLE friends (a integer REFERENCES people(id), b integer REFERENCES people(id), PRIMARY KEY (a, b));
       INSERT INTO people (name, mood, born, tags, score) VALUES
         ('ann', 'happy', '2000-01-01 12:00:00+00', '{a,"b c"}', 1.5),
         ('bob', NULL, NULL, '{}', 'NaN'),
         ('cy', 'sad', '1999-12-31 23:59:59.5+02', NULL, -0.0);
       INSERT INTO friends VALUES (1, 2), (2, 3);`,
    );
  });

  afterAll(async () => {
    await database?.drop();
  });

  async function databases(): Promise<string[]> {
    const client = new pg.Client({ connectionString: testAdminUrl() });
    await client.connect();
    try {
      return (await client.query<{ datname: string }>("SELECT datname FROM pg_database ORDER BY datname")).rows.map((r) => r.datname);
    } finally {
      await client.end();
    }
  }

  it("passes, and drops its scratch database", async () => {
    const before = await databases();
    const dumped = await dumpTo(database.url);
    const report = await doubleDumpTest({ db: database.url });
    expect(report.passed, formatDdt(report)).toBe(true);
    expect(await databases()).toEqual(before);
    // Only read: the source dumps to the same files after the test.
    expect(await compareTrees(dumped, await dumpTo(database.url), { derived: ["checksums.sha256"] })).toBeNull();
  });

  it("fails with a readable diff when a transform changes a value on the way back", async () => {
    const before = await databases();
    const report = await doubleDumpTest({ db: database.url, transforms: [{ table: "public.people", row: (row) => (row.name === "bob" ? { ...row, name: "robert" } : row) }] });
    expect(report.passed).toBe(false);
    expect(formatDdt(report)).toContain(' // id = 2: name "bob" → "robert" (data/public.people.ts:8)\n');
    expect(await databases()).toEqual(before);
  });
});
