import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffDumps, tableEqual } from "../../src/diff/diff-dumps.ts";
import { formatRowPatches, formatSummary } from "../../src/diff/diff-format.ts";
import { restoreDirectory } from "../../src/restore/dump-directory.ts";
import { tempDir } from "../support/cli.ts";
import { type TestDatabase, createTestDatabase } from "../support/postgres-db.ts";
import { buildShop, copyDump, dumpTo, editLine, pgExec, sqliteDatabase, sqliteExec } from "../check/dump-fixtures.ts";

describe("diffDumps on SQLite", () => {
  let source: string;
  let base: string;

  beforeAll(async () => {
    source = await buildShop();
    base = await dumpTo(source);
  });

  it("finds two dumps of the same data equal, however they are split", async () => {
    const split = await dumpTo(source, { maxRowCount: 2 });
    const diff = await diffDumps(base, split);
    expect(diff.equal).toBe(true);
    expect(diff.equality).toBe("exact");
    expect(diff.tables.map((t) => [t.table, t.rowsA, t.rowsB])).toContainEqual(["customers", 5, 5]);
    expect(formatSummary(diff)).toContain("equal: 7 tables, 23 rows");
  });

  it("shows rows changed, added and removed in the database, by key, with old → new", async () => {
    const db = join(tempDir(), "changed.sqlite3");
    await restoreDirectory(base, { db, noinput: true });
    sqliteExec(
      db,
      `UPDATE customers SET display_name = 'Robert', score = 2.5 WHERE id = 2;
       INSERT INTO customers (id, email) VALUES (6, 'new@example.com');
       DELETE FROM order_items WHERE order_id = 7;`,
    );
    const diff = await diffDumps(base, await dumpTo(db, { maxRowCount: 3 }));
    expect(diff.equal).toBe(false);
    const customers = diff.tables.find((t) => t.table === "customers")!;
    expect([customers.changed, customers.added, customers.removed]).toEqual([1, 1, 0]);
    expect(customers.changes[0]).toMatchObject({
      change: "changed",
      key: { id: "2" },
      columns: [
        { column: "display_name", old: '"Bob\\nNewline"', new: '"Robert"' },
        { column: "score", old: "0", new: "2.5" },
      ],
    });
    // Split by content (--max-row-count 3): the new row is the first of the third part.
    expect(customers.changes[1]).toMatchObject({ change: "added", key: { id: "6" }, b: { file: "data/customers.003.ts", line: 7 } });
    const items = diff.tables.find((t) => t.table === "order_items")!;
    expect(items.changes).toEqual([expect.objectContaining({ change: "removed", key: { rowid: "4" }, a: expect.objectContaining({ text: '[4, 7, "B-2", 3],' }) })]);
    expect(diff.tables.filter((t) => !tableEqual(t)).map((t) => t.table)).toEqual(["customers", "order_items"]);
    const summary = formatSummary(diff);
    expect(summary).toContain("customers: 1 changed, 1 added, 0 removed (5 → 6 rows)\n");
    expect(summary).toContain("order_items: 0 changed, 0 added, 1 removed (4 → 3 rows)\n");
    const patch = formatRowPatches(diff, { a: "A", b: "B" });
    expect(patch).toContain("--- A/customers\n+++ B/customers\n");
    expect(patch).toContain('-[2, "bob@example.com", "Bob\\nNewline", 1, 0, real(1)],\n+[2, "bob@example.com", "Robert", 1, 2.5, real(1)],\n');
    expect(patch).toContain(' // id = 2: display_name "Bob\\nNewline" → "Robert"; score 0 → 2.5 (data/customers.ts:8 → data/customers.001.ts:8)\n');
    expect(patch).toContain('-[4, 7, "B-2", 3],\n');
  });

  it("shows a hand edit of a dump, which restores as it shows", async () => {
    const edited = copyDump(base);
    editLine(edited, "data/products.ts", (l) => l.startsWith('["B-2"'), (l) => l.replace(", 15,", ", 20,"));
    const diff = await diffDumps(base, edited);
    const products = diff.tables.find((t) => t.table === "products")!;
    expect(products.changes).toEqual([
      expect.objectContaining({ change: "changed", key: { sku: '"B-2"' }, columns: [{ column: "price_cents", old: "15", new: "20" }] }),
    ]);
    const db = join(tempDir(), "edited.sqlite3");
    await restoreDirectory(edited, { db, noinput: true });
    expect((await diffDumps(edited, await dumpTo(db))).equal).toBe(true);
  });

  it("matches rows by key when a hand edit moved them (rows out of order)", async () => {
    const edited = copyDump(base);
    const path = join(edited, "data", "customers.ts");
    const lines = readFileSync(path, "utf8").split("\n");
    const first = lines.findIndex((l) => l.startsWith("[1,"));
    const [moved] = lines.splice(first, 1);
    lines.splice(first + 3, 0, moved!);
    writeFileSync(path, lines.join("\n"));
    const diff = await diffDumps(base, edited);
    expect(diff.equal).toBe(true);
  });

  it("keeps storage classes apart in an exact diff (INTEGER 1 is not REAL 1.0)", async () => {
    const edited = copyDump(base);
    editLine(edited, "data/customers.ts", (l) => l.startsWith("[2,"), (l) => l.replace("real(1)]", "1]"));
    const customers = (await diffDumps(base, edited)).tables.find((t) => t.table === "customers")!;
    expect(customers.changes[0]?.columns).toEqual([{ column: "extra", old: "real(1)", new: "1" }]);
    expect((await diffDumps(base, edited, { equality: "loose" })).equal).toBe(true);
  });

  it("reports tables and columns added, removed or changed in type", async () => {
    const a = sqliteDatabase(`
      CREATE TABLE kept (id INTEGER PRIMARY KEY, name TEXT, size INTEGER, gone TEXT);
      CREATE TABLE dropped (id INTEGER PRIMARY KEY);
      INSERT INTO kept VALUES (1, 'a', 10, 'x'), (2, 'b', 20, 'y');
      INSERT INTO dropped VALUES (1), (2), (3);`);
    const b = sqliteDatabase(`
      CREATE TABLE kept (id INTEGER PRIMARY KEY, name TEXT, size REAL, extra TEXT);
      CREATE TABLE created (id INTEGER PRIMARY KEY);
      INSERT INTO kept VALUES (1, 'a', 10, NULL), (2, 'b', 20.5, NULL);
      INSERT INTO created VALUES (1);`);
    const diff = await diffDumps(await dumpTo(a), await dumpTo(b));
    expect(diff.tablesAdded).toEqual([{ table: "created", rows: 1 }]);
    expect(diff.tablesRemoved).toEqual([{ table: "dropped", rows: 3 }]);
    const kept = diff.tables.find((t) => t.table === "kept")!;
    expect(kept.columnsAdded).toEqual([{ column: "extra", type: "TEXT" }]);
    expect(kept.columnsRemoved).toEqual([{ column: "gone", type: "TEXT" }]);
    expect(kept.columnsChanged).toEqual([{ column: "size", from: "INTEGER", to: "REAL" }]);
    // Values are compared on the columns both have: 10 → real 10 and 20 → 20.5.
    expect(kept.changes.map((c) => c.columns)).toEqual([
      [{ column: "size", old: "10", new: "10" }],
      [{ column: "size", old: "20", new: "20.5" }],
    ]);
    const summary = formatSummary(diff);
    expect(summary).toContain("dropped: table removed (3 rows)\n");
    expect(summary).toContain("created: table added (1 rows)\n");
    expect(summary).toContain("kept: 2 changed, 0 added, 0 removed (2 → 2 rows); columns: +extra TEXT, -gone TEXT, size INTEGER → REAL\n");
  });

  it("compares a table without a key as a multiset of rows", async () => {
    const a = sqliteDatabase(`CREATE TABLE log (msg TEXT, n INTEGER) ; INSERT INTO log VALUES ('x', 1), ('x', 1), ('y', 2);`);
    const b = sqliteDatabase(`CREATE TABLE log (msg TEXT, n INTEGER) ; INSERT INTO log VALUES ('x', 1), ('y', 2), ('z', 3);`);
    const [da, db] = [await dumpTo(a), await dumpTo(b)];
    const log = (await diffDumps(da, db)).tables[0]!;
    // NOTE: a SQLite rowid table is matched by rowid, which both dumps carry.
    expect(log.key).toEqual(["rowid"]);
    expect([log.changed, log.added, log.removed]).toEqual([2, 0, 0]);
  });
});

describe("diffDumps on PostgreSQL, and across engines", () => {
  let database: TestDatabase;
  let base: string;

  beforeAll(async () => {
    database = await createTestDatabase("diff");
    await pgExec(
      database.url,
      `CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL, price numeric(8,2), active boolean, meta jsonb);
       CREATE TABLE tags (item integer REFERENCES items(id), tag text);
       INSERT INTO items VALUES (1, 'anvil', 1299.00, true, '{"b": 1, "a": [1, 2]}'), (2, 'bolt', 0.15, false, NULL), (3, 'cog', NULL, NULL, '{}');
       INSERT INTO tags VALUES (1, 'heavy'), (1, 'heavy'), (2, 'small');`,
    );
    base = await dumpTo(database.url);
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("finds changes by primary key, and treats a table without a key as a multiset", async () => {
    await pgExec(database.url, `UPDATE items SET price = 0.20 WHERE id = 2; DELETE FROM tags WHERE tag = 'small'; INSERT INTO tags VALUES (3, 'round');`);
    const diff = await diffDumps(base, await dumpTo(database.url, { maxRowCount: 1 }));
    await pgExec(database.url, `UPDATE items SET price = 0.15 WHERE id = 2; INSERT INTO tags VALUES (2, 'small'); DELETE FROM tags WHERE tag = 'round';`);
    const items = diff.tables.find((t) => t.table === "public.items")!;
    expect(items.changes).toEqual([expect.objectContaining({ key: { id: "2" }, columns: [{ column: "price", old: '"0.15"', new: '"0.20"' }] })]);
    const tags = diff.tables.find((t) => t.table === "public.tags")!;
    expect(tags.key).toBeNull();
    expect([tags.changed, tags.added, tags.removed]).toEqual([0, 1, 1]);
  });

  it("shows a hand edit of a PostgreSQL dump, which restores as it shows", async () => {
    const edited = copyDump(base);
    editLine(edited, "data/public.items.ts", (l) => l.startsWith("[1,"), (l) => l.replace('"anvil"', '"big anvil"'));
    const target = await createTestDatabase("diff_edit");
    try {
      await restoreDirectory(edited, { db: target.url, noinput: true });
      const again = await dumpTo(target.url, { maxRowCount: 1 });
      const shown = await diffDumps(base, edited);
      const items = shown.tables.find((t) => t.table === "public.items")!;
      expect(items.changes).toEqual([expect.objectContaining({ change: "changed", key: { id: "1" }, columns: [{ column: "name", old: '"anvil"', new: '"big anvil"' }] })]);
      expect(formatRowPatches(shown, { a: "a", b: "b" })).toContain(' // id = 1: name "anvil" → "big anvil" (data/public.items.ts:7)\n');
      expect((await diffDumps(edited, again)).equal).toBe(true);
    } finally {
      await target.drop();
    }
  });

  it("compares a SQLite dump with a PostgreSQL dump after the type mapping", async () => {
    const lite = sqliteDatabase(`
      CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price NUMERIC(8,2), active BOOLEAN, meta TEXT);
      CREATE TABLE tags (item INTEGER REFERENCES items(id), tag TEXT);
      INSERT INTO items VALUES (1, 'anvil', 1299, 1, '{"a":[1,2],"b":1}'), (2, 'bolt', 0.15, 0, NULL), (3, 'cog', NULL, NULL, '{}');`);
    const diff = await diffDumps(base, await dumpTo(lite));
    expect(diff.equality).toBe("loose");
    const items = diff.tables.find((t) => t.table === "public.items")!;
    expect(items.columnsChanged.map((c) => c.column)).toEqual(["meta"]);
    expect(items.changes).toEqual([]);
    expect(diff.tables.find((t) => t.table === "public.tags")!.removed).toBe(3);
  });
});

describe("diffDumps streaming", () => {
  it("falls back in step after inserted and deleted rows, holding only the differences, and skips identical modules", async () => {
    const values = (ids: number[]) => ids.map((id) => `(${id}, 'row ${id}')`).join(", ");
    const ids = Array.from({ length: 200 }, (_, i) => i + 1);
    const a = sqliteDatabase(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES ${values(ids)};`);
    const changed = [0, ...ids.filter((id) => id !== 50 && id !== 120)];
    const b = sqliteDatabase(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES ${values(changed)}; UPDATE t SET v = 'x' WHERE id = 199;`);
    const t = (await diffDumps(await dumpTo(a, { maxRowCount: 20 }), await dumpTo(b, { maxRowCount: 20 }))).tables[0]!;
    expect([t.changed, t.added, t.removed]).toEqual([1, 1, 2]);
    expect(t.changes.map((c) => [c.change, c.key.id])).toEqual([
      ["added", "0"],
      ["removed", "50"],
      ["removed", "120"],
      ["changed", "199"],
    ]);
    // The three unmatched rows, and the pair in hand while the streams fall back in step.
    expect(t.peakUnmatched).toBeLessThanOrEqual(5);
    // Parts the edits did not touch are skipped unread, though rows wait unmatched.
    expect(t.identicalModules).toBeGreaterThan(0);
    expect([t.rowsA, t.rowsB]).toEqual([200, 199]);
    const dumped = await dumpTo(a, { maxRowCount: 20 });
    const same = (await diffDumps(dumped, await dumpTo(a, { maxRowCount: 20 }))).tables[0]!;
    expect(same.identicalModules).toBe(readdirSync(join(dumped, "data")).length);
    expect(same.identicalModules).toBeGreaterThanOrEqual(10);
    expect(same.rowsA).toBe(200);
  });
});
