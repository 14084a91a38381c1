import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TargetConnection } from "../../src/dialects/dialect.ts";
import { parseDatabaseUrl } from "../../src/dialects/registry.ts";
import { sqliteDialect } from "../../src/dialects/sqlite/sqlite-dialect.ts";
import { GenDumpError } from "../../src/errors.ts";
import { type DatabaseSchema, type TableSchema, dataColumns } from "../../src/model/schema-model.ts";
import { type DumpRow, RawText } from "../../src/model/values.ts";
import { sqliteState } from "./sqlite-compare.ts";
import { AWKWARD_NAMES, buildRichDatabase, postgresShapedSchema } from "./sqlite-fixture.ts";

const dir = mkdtempSync(join(tmpdir(), "gen-dump-sqlite-dialect-"));
let counter = 0;
const tempFile = (name: string) => join(dir, `${++counter}-${name}.sqlite3`);
const url = (path: string) => parseDatabaseUrl(path);

interface Dumped {
  readonly schema: DatabaseSchema;
  readonly rows: ReadonlyMap<string, DumpRow[]>;
}

/** Introspect and read every table, as the dump does. */
async function dumpFile(path: string, batchSize?: number): Promise<Dumped> {
  const source = await sqliteDialect.openSource({ url: url(path) });
  try {
    const schema = await source.introspect();
    const rows = new Map<string, DumpRow[]>();
    for (const table of schema.tables) {
      const all: DumpRow[] = [];
      for await (const batch of source.readRows(table, { batchSize })) all.push(...batch);
      rows.set(table.key, all);
    }
    return { schema, rows };
  } finally {
    await source.close();
  }
}

/** Load into a target, as the restore runtime does; `finish` decides commit or rollback. */
async function restoreInto(path: string, dumped: Dumped, finish: (t: TargetConnection) => Promise<void> = (t) => t.commit()): Promise<void> {
  const target = await sqliteDialect.openTarget({ url: url(path) });
  try {
    const state = await target.inspect();
    await target.begin();
    if (!state.empty) await target.clear(dumped.schema);
    await target.createBeforeData(dumped.schema);
    for (const table of dumped.schema.tables) {
      const rows = dumped.rows.get(table.key) ?? [];
      for (let i = 0; i < rows.length; i += 2) await target.insertRows(table, dataColumns(table), rows.slice(i, i + 2));
    }
    await target.createAfterData(dumped.schema);
    await finish(target);
  } finally {
    await target.close();
  }
}

function table(schema: DatabaseSchema, name: string): TableSchema {
  const found = schema.tables.find((t) => t.name === name);
  if (found === undefined) throw new Error(`no table ${name}`);
  return found;
}

describe("SQLite dialect", () => {
  let source: string;
  let dumped: Dumped;

  beforeAll(async () => {
    source = tempFile("rich");
    buildRichDatabase(source);
    dumped = await dumpFile(source, 2);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("introspects tables sorted by name, with keys, kinds, rowid facts and orderBy", () => {
    const { schema } = dumped;
    const names = schema.tables.map((t) => t.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(names).toEqual(expect.arrayContaining([...AWKWARD_NAMES, "affinities", "wr", "gaps"]));
    expect(names.filter((n) => n.startsWith("sqlite_"))).toEqual([]);
    expect(table(schema, "Ä").key).not.toBe(table(schema, "ä").key);
    expect(table(schema, "restore").key).toBe("restore");
    const aff = table(schema, "affinities");
    expect(aff.columns.map((c) => [c.name, c.kind, c.type.name])).toEqual([
      ["id", "integer", "integer"], ["i", "integer", "integer"], ["t", "text", "text"], ["b", "any", "blob"], ["r", "real", "real"],
      ["n", "any", "numeric"], ["u", "any", "any"], ["d", "any", "timestamp"], ["flag", "any", "boolean"],
    ]);
    expect(aff.columns.find((c) => c.name === "t")!.type.params).toEqual([20]);
    expect(aff.columns.find((c) => c.name === "d")!.default).toBe("CURRENT_TIMESTAMP");
    expect(aff.columns.find((c) => c.name === "flag")!.nullable).toBe(false);
    expect([aff.rowidColumn, aff.orderBy, aff.primaryKey?.columns]).toEqual([null, ["id"], ["id"]]);
    expect(table(schema, "strict_t").columns.map((c) => c.kind)).toEqual(["integer", "integer", "real", "text", "blob", "any"]);
    expect(table(schema, "strict_t").options).toMatchObject({ strict: true, withoutRowid: false });
    const wr = table(schema, "wr");
    expect([wr.options.withoutRowid, wr.rowidColumn, wr.orderBy]).toEqual([true, null, ["k", "n"]]);
    expect(wr.columns[0]!.collation).toBe("NOCASE");
    expect([table(schema, "gaps").rowidColumn, table(schema, "gaps").orderBy]).toEqual(["rowid", ["rowid"]]);
    expect(dataColumns(table(schema, "weird"))).toEqual(["_rowid_", "rowid", "x"]);
    expect(table(schema, "counters").options.autoincrement).toBe(100);
    expect(table(schema, "empty_auto").options.autoincrement).toBeNull();
    expect("autoincrement" in table(schema, "gaps").options).toBe(false);
    expect(table(schema, "counters").uniques).toEqual([{ name: null, columns: ["label"] }]);
  });

  it("reads generated columns, checks, indexes and foreign keys", () => {
    const { schema } = dumped;
    const gen = table(schema, "gen");
    expect(gen.columns.map((c) => c.generated)).toEqual([null, null, { expression: "a * 2", stored: false }, { expression: "upper(b)", stored: true }]);
    expect(dataColumns(gen)).toEqual(["rowid", "a", "b"]);
    expect(gen.checks).toEqual([{ name: "positive", expression: "a > 0" }, { name: null, expression: "length(b) < 100" }]);
    expect(gen.indexes).toEqual([
      { name: "gen_expr", unique: false, parts: [{ expression: "lower(b)" }, { column: "a", desc: true }], where: null, sql: "CREATE INDEX gen_expr ON gen (lower(b), a DESC)" },
      { name: "gen_partial", unique: false, parts: [{ column: "a" }], where: "a > 10", sql: "CREATE INDEX gen_partial ON gen (a) WHERE a > 10" },
      { name: "gen_unique", unique: true, parts: [{ column: "b" }], where: null, sql: "CREATE UNIQUE INDEX gen_unique ON gen (b COLLATE NOCASE)" },
    ]);
    const child = table(schema, "child");
    expect(child.foreignKeys).toEqual([
      { name: null, columns: ["parent_id"], refSchema: null, refTable: "parent", refColumns: ["id"], onUpdate: "set null", onDelete: "cascade", deferrable: "not deferrable" },
      { name: "child_boss", columns: ["boss"], refSchema: null, refTable: "child", refColumns: ["id"], onUpdate: "no action", onDelete: "no action", deferrable: "initially deferred" },
    ]);
    expect(child.options.foreignKeyViolations).toBe(1);
    expect(table(schema, "parent").options.foreignKeyViolations).toBe(0);
    expect(table(schema, "cyc_b").foreignKeys).toMatchObject([{ name: "fk_b_a", refTable: "cyc_a", refColumns: ["id"] }]);
    const master = new Database(source, { readonly: true });
    const expected = master.prepare("SELECT type, name, sql FROM sqlite_master WHERE type <> 'table' AND sql IS NOT NULL ORDER BY rowid").all();
    master.close();
    expect(schema.objects.map((o) => ({ type: o.kind, name: o.name, sql: o.sql }))).toEqual(expected);
    expect(schema.settings).toEqual({ application_id: -1234567, encoding: "UTF-8", user_version: 42 });
    expect(table(schema, "parent").native).toEqual({ create: ["CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT COLLATE NOCASE)"], after: [] });
  });

  it("reads values with their storage class: bigint, number, string, bytes, RawText", () => {
    const rows = dumped.rows.get(table(dumped.schema, "mismatch").key)!;
    expect(rows[0]).toEqual([1n, "abc", 3, Buffer.from([1, 2]), 1]);
    expect(typeof rows[0]![2]).toBe("number");
    expect(rows[1]!.slice(0, 3)).toEqual([2n, 3.5, 3n]);
    expect(rows[1]![3]).toEqual(new RawText(new Uint8Array([0xff, 0x41])));
    expect(rows[2]!.slice(0, 4)).toEqual([3n, 9223372036854775807n, -9223372036854775808n, "a\0b"]);
    expect(rows[2]![4]).toBe(5e-324);
    expect(Object.is(rows[3]![2], -0)).toBe(true);
    expect(rows[3]![3]).toBe("ok \uFFFD"); // a real U+FFFD is valid UTF-8 and stays a string
    expect(rows[4]![3]).toEqual(new RawText(new Uint8Array([0xc3])));
    expect(rows[5]![3]).toEqual(new RawText(new Uint8Array([0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0x80])));
    const gaps = dumped.rows.get(table(dumped.schema, "gaps").key)!;
    expect(gaps.map((r) => r[0])).toEqual([-3n, 1n, 5n, 1000n, 9223372036854775807n]);
    // Rows found again by position: no usable rowid name, or a damaged primary key.
    const shadowed = table(dumped.schema, "shadowed");
    expect([shadowed.rowidColumn, shadowed.orderBy]).toEqual([null, ["rowid", "_rowid_", "oid"]]);
    expect(dumped.rows.get(shadowed.key)).toEqual([
      ["a", "b", "c"],
      ["a", new RawText(new Uint8Array([0xfe, 0x41])), null],
      [new RawText(new Uint8Array([0xff])), "b", "c"],
    ]);
    expect(dumped.rows.get(table(dumped.schema, "badkey").key)).toEqual([
      ["ok", "fine"],
      [new RawText(new Uint8Array([0xfe])), "x"],
      [new RawText(new Uint8Array([0xff, 0x01])), new RawText(new Uint8Array([0x80]))],
    ]);
    expect(table(dumped.schema, "big_auto").options.autoincrement).toBe("9223372036854775807");
    const wr = dumped.rows.get(table(dumped.schema, "wr").key)!;
    expect(wr.map((r) => [r[0], r[1]])).toEqual([["a", 1n], ["a", 2n], ["A2", 3n], ["b", 1n]]); // NOCASE order
  });

  it("restores into a fresh file with the same sqlite_master, values, storage classes, rowids and counters", async () => {
    const target = tempFile("restored");
    await restoreInto(target, dumped);
    expect(sqliteState(target)).toEqual(sqliteState(source));
    // And the restored file dumps to the same schema and rows.
    const again = await dumpFile(target);
    expect(again.schema).toEqual(dumped.schema);
    expect(again.rows).toEqual(dumped.rows);
  });

  it("replaces an existing target, and a rollback leaves it exactly as it was", async () => {
    const target = tempFile("existing");
    const db = new Database(target);
    db.exec("CREATE TABLE old (id INTEGER PRIMARY KEY AUTOINCREMENT, v); INSERT INTO old (v) VALUES (1), (2); CREATE VIEW old_v AS SELECT * FROM old; PRAGMA user_version = 7");
    db.close();
    const before = sqliteState(target);
    const connection = await sqliteDialect.openTarget({ url: url(target) });
    expect(await connection.inspect()).toEqual({ tables: [{ schema: null, name: "old", rows: 2 }], empty: false });
    await connection.close();
    await restoreInto(target, dumped, (t) => t.rollback());
    expect(sqliteState(target)).toEqual(before);
    await restoreInto(target, dumped);
    const after = sqliteState(target) as { master: string[] };
    expect(after.master.filter((m) => m.includes('"old'))).toEqual([]);
    expect({ ...after, master: [] }).toEqual({ ...(sqliteState(source) as object), master: [] });
  });

  it("names the table and the batch row SQLite rejected", async () => {
    const target = tempFile("reject");
    const connection = await sqliteDialect.openTarget({ url: url(target) });
    try {
      await connection.begin();
      await connection.createBeforeData(dumped.schema);
      const parent = table(dumped.schema, "parent");
      const error = await connection.insertRows(parent, ["id", "name"], [[1n, "a"], [1n, "b"]]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GenDumpError);
      expect(error).toMatchObject({ code: "RESTORE", context: { table: "parent", row: 1 } });
      expect((error as Error).message).toMatch(/"parent".*row 1.*UNIQUE constraint failed/);
      await connection.rollback();
    } finally {
      await connection.close();
    }
  });

  it("inserts many rows per statement, and still names the row SQLite rejected inside such a block", async () => {
    const target = tempFile("reject-block");
    const connection = await sqliteDialect.openTarget({ url: url(target) });
    try {
      await connection.begin();
      await connection.createBeforeData(dumped.schema);
      const parent = table(dumped.schema, "parent");
      // 300 rows: blocks of 64 and a tail; row 150 repeats row 10's key, RawText in row 200.
      const rows: DumpRow[] = Array.from({ length: 300 }, (_, i) => [BigInt(1000 + (i === 150 ? 10 : i)), i === 200 ? new RawText(new Uint8Array([0xff, 0x41])) : `n${i}`]);
      const error = await connection.insertRows(parent, ["id", "name"], rows).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "RESTORE", context: { table: "parent", row: 150 } });
      await connection.rollback();
      await connection.begin();
      await connection.createBeforeData(dumped.schema);
      rows[150] = [1150n, "n150"];
      await connection.insertRows(parent, ["id", "name"], rows);
      await connection.commit();
    } finally {
      await connection.close();
    }
    const db = new Database(target, { readonly: true });
    const stored = db.prepare("SELECT id, name, typeof(name) AS t, hex(name) AS h FROM parent WHERE id >= 1000 ORDER BY id").all() as { id: number; name: string; t: string; h: string }[];
    db.close();
    expect(stored.length).toBe(300);
    expect(stored.map((r) => r.id)).toEqual(Array.from({ length: 300 }, (_, i) => 1000 + i));
    expect(stored[200]).toMatchObject({ t: "text", h: "FF41" });
    expect(stored[299]).toMatchObject({ name: "n299", t: "text" });
  });

  it("fails a restore that leaves more dangling references than the source had", async () => {
    const target = tempFile("dangling");
    const rows = new Map(dumped.rows);
    const child = table(dumped.schema, "child");
    rows.set(child.key, [...rows.get(child.key)!, [4n, 12345n, null]]);
    const error = await restoreInto(target, { schema: dumped.schema, rows }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "RESTORE", context: { table: "child" } });
    expect((error as Error).message).toMatch(/2 rows of table "child".*had 1/);
  });

  it("binds an integral JS number as REAL and a bigint as INTEGER", async () => {
    const path = tempFile("binding");
    const db = new Database(path);
    db.exec("CREATE TABLE t (u, i INTEGER, r REAL)");
    db.close();
    const t = (await dumpFile(path)).schema;
    await restoreInto(path, { schema: t, rows: new Map([[t.tables[0]!.key, [[1n, 3, 3n, 3n], [2n, 3n, 3, -0]]]]) });
    const check = new Database(path, { readonly: true });
    expect(check.prepare("SELECT typeof(u), typeof(i), typeof(r) FROM t ORDER BY rowid").raw().all()).toEqual([
      ["real", "integer", "real"],
      ["integer", "integer", "real"],
    ]);
    check.close();
  });

  it("keeps one snapshot for the whole dump while another connection writes (WAL)", async () => {
    const path = tempFile("wal");
    const writer = new Database(path);
    writer.pragma("journal_mode = WAL");
    writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b')");
    const connection = await sqliteDialect.openSource({ url: url(path) });
    try {
      writer.exec("INSERT INTO t VALUES (3, 'c'); DELETE FROM t WHERE id = 1; CREATE TABLE late (x)");
      const schema = await connection.introspect();
      expect(schema.tables.map((t) => [t.name, t.rowCount])).toEqual([["t", 2]]);
      const rows: DumpRow[] = [];
      for await (const batch of connection.readRows(schema.tables[0]!)) rows.push(...batch);
      expect(rows).toEqual([[1n, "a"], [2n, "b"]]);
      expect(await connection.estimateRows(schema.tables[0]!)).toBe(2);
    } finally {
      await connection.close();
      writer.close();
    }
  });

  it("holds off a writer in rollback-journal mode until the dump closes", async () => {
    const path = tempFile("journal");
    const writer = new Database(path, { timeout: 0 });
    writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    const connection = await sqliteDialect.openSource({ url: url(path) });
    expect(() => writer.exec("INSERT INTO t VALUES (1)")).toThrow(/locked|busy/i);
    await connection.close();
    writer.exec("INSERT INTO t VALUES (1)");
    writer.close();
  });

  it("round-trips a UTF-16 database and keeps its encoding", async () => {
    const path = tempFile("utf16");
    const db = new Database(path);
    db.pragma("encoding = 'UTF-16le'");
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT, u)");
    db.prepare("INSERT INTO t (s, u) VALUES (?, ?)").run("nul\0 emoji 😀 ü", 1.25);
    db.prepare("INSERT INTO t (s, u) VALUES (?, ?)").run("\uFFFD replacement", "x");
    db.close();
    const target = tempFile("utf16-restored");
    await restoreInto(target, await dumpFile(path));
    expect(sqliteState(target)).toEqual(sqliteState(path));
    expect(sqliteState(target).encoding).toBe("UTF-16le");
  });

  it("gives CONNECT errors naming a missing file and a file that is not a database", async () => {
    const missing = join(dir, "missing.sqlite3");
    await expect(sqliteDialect.openSource({ url: url(missing) })).rejects.toMatchObject({ code: "CONNECT", message: expect.stringContaining("missing.sqlite3") });
    for (const [name, content] of [["short.txt", "hello, not a database"], ["long.txt", "x".repeat(8192)]] as const) {
      const path = join(dir, name);
      writeFileSync(path, content);
      await expect(sqliteDialect.openSource({ url: url(path) })).rejects.toMatchObject({ code: "CONNECT", message: expect.stringContaining(name) });
      await expect(sqliteDialect.openTarget({ url: url(path) })).rejects.toMatchObject({ code: "CONNECT" });
    }
  });

  it("reads every row once, in key order, page by page and by key range", async () => {
    const path = tempFile("pages");
    const db = new Database(path);
    db.exec("CREATE TABLE alias (id INTEGER PRIMARY KEY, v TEXT); CREATE TABLE hidden (v TEXT); CREATE TABLE pair (a INTEGER, b INTEGER, PRIMARY KEY (a, b)); CREATE TABLE plain (a INTEGER, b INTEGER, PRIMARY KEY (a, b)) WITHOUT ROWID");
    const add = db.transaction(() => {
      for (let i = 0; i < 2500; i++) {
        // Keys with gaps, negative and extreme values, inserted out of order.
        const id = i === 0 ? -(2n ** 63n) : i === 1 ? 2n ** 63n - 1n : BigInt((i * 7919) % 100003) - 50000n;
        db.prepare("INSERT OR IGNORE INTO alias VALUES (?, ?)").run(id, `v${i}`);
        db.prepare("INSERT INTO hidden VALUES (?)").run(`h${i}`);
        db.prepare("INSERT INTO pair VALUES (?, ?)").run(i % 3, i);
        db.prepare("INSERT INTO plain VALUES (?, ?)").run(i % 3, i);
      }
    });
    add();
    db.prepare("DELETE FROM hidden WHERE rowid % 10 = 0").run();
    const expected = {
      alias: db.prepare("SELECT id, v FROM alias ORDER BY id").raw().safeIntegers().all(),
      hidden: db.prepare("SELECT rowid, v FROM hidden ORDER BY rowid").raw().safeIntegers().all(),
      pair: db.prepare("SELECT rowid, a, b FROM pair ORDER BY rowid").raw().safeIntegers().all(),
      plain: db.prepare("SELECT a, b FROM plain ORDER BY a, b").raw().safeIntegers().all(),
    };
    db.close();
    for (const batchSize of [1, 999, 1000, 5000]) {
      const dumped = await dumpFile(path, batchSize);
      for (const [key, rows] of Object.entries(expected)) expect(dumped.rows.get(key), `${key} / ${batchSize}`).toEqual(rows);
    }
    const source = await sqliteDialect.openSource({ url: url(path) });
    try {
      const table = (await source.introspect()).tables.find((t) => t.key === "alias")!;
      const splits = (await source.keySplits!(table, 4))!;
      expect(splits).toHaveLength(3);
      const ranges = [{ from: null, to: splits[0]! }, { from: splits[0]!, to: splits[1]! }, { from: splits[1]!, to: splits[2]! }, { from: splits[2]!, to: null }];
      const read: DumpRow[] = [];
      for (const range of ranges) for await (const batch of source.readRows(table, { batchSize: 100, range })) read.push(...batch);
      expect(read).toEqual(expected.alias);
    } finally {
      await source.close();
    }
  });

  it("refuses virtual tables by name", async () => {
    const path = tempFile("virtual");
    const db = new Database(path);
    db.exec("CREATE VIRTUAL TABLE docs USING fts5(body); CREATE TABLE plain (x)");
    db.close();
    const connection = await sqliteDialect.openSource({ url: url(path) });
    await expect(connection.introspect()).rejects.toMatchObject({ code: "UNSUPPORTED", context: { table: "docs" } });
    await connection.close();
  });

  it("restores a PostgreSQL dump from the neutral model, keeping text values TEXT", async () => {
    const schema = postgresShapedSchema();
    const items = schema.tables[0]!;
    const path = tempFile("from-postgres");
    const bytes = new Uint8Array([0, 255]);
    const rows: DumpRow[] = [
      [1n, null, "1.50", "12345678901234567890.123456789", "5", true, "2024-01-02 03:04:05+00", "1 day", "a", bytes, "{a,b}", 0.5],
      [2n, 1n, "100", "-0.5", '{"k": 1}', false, "infinity", "00:00:01", "b", null, "{}", 3],
    ];
    const target = (await sqliteDialect.openTarget({ url: url(path) })) as TargetConnection & { readonly warnings: readonly string[] };
    try {
      await target.begin();
      await target.createBeforeData(schema);
      await target.insertRows(items, dataColumns(items), rows);
      await target.createAfterData(schema);
      await target.commit();
      for (const part of ["twice", "now()", "en_US", "items_lower_idx", "code_letters"]) expect(target.warnings.join("\n")).toContain(part);
      // A check in the SQL both engines share is kept, PostgreSQL's casts undone.
      expect(target.warnings.join("\n")).not.toContain("price_positive");
    } finally {
      await target.close();
    }
    const db = new Database(path, { readonly: true });
    const types = db.prepare("SELECT name, type FROM pragma_table_xinfo('items')").raw().all();
    const values = db.prepare("SELECT typeof(price), price, typeof(big), big, typeof(doc), doc, ok, typeof(at), typeof(span), typeof(tags), typeof(f), f FROM items ORDER BY id").raw().all();
    const master = db.prepare("SELECT type, name FROM sqlite_master ORDER BY name").raw().all();
    const fks = db.prepare("SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('items')").raw().all();
    const create = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'items'").pluck().get() as string;
    db.close();
    expect(types).toEqual([
      ["id", "INTEGER"], ["parent", "INTEGER"], ["price", "NUMERIC(10,2)"], ["big", "NUMERIC_TEXT"], ["doc", "JSON_TEXT"], ["ok", "BOOLEAN"],
      ["at", "TIMESTAMPTZ"], ["span", "INTERVAL"], ["code", "VARCHAR(20)"], ["raw", "BLOB"], ["tags", "TEXT"], ["f", "REAL"],
    ]);
    expect(values).toEqual([
      ["real", 1.5, "text", "12345678901234567890.123456789", "text", "5", 1, "text", "text", "text", "real", 0.5],
      ["integer", 100, "text", "-0.5", "text", '{"k": 1}', 0, "text", "text", "text", "real", 3],
    ]);
    expect(master).toEqual([["table", "items"], ["index", "items_at_idx"], ["index", "sqlite_autoindex_items_1"]]);
    expect(fks).toEqual([["items", "parent", "id", "SET NULL"]]);
    expect(create).toContain('CONSTRAINT "price_positive" CHECK (price > 0)');
    expect(create).not.toContain("code_letters");
  });

  it("makes a scratch file in the temp directory and drops it", async () => {
    const scratch = await sqliteDialect.createScratch(url(source));
    expect(scratch.url.connection.startsWith(tmpdir())).toBe(true);
    const target = await sqliteDialect.openTarget({ url: scratch.url });
    await target.close();
    await scratch.drop();
    await expect(sqliteDialect.openSource({ url: scratch.url })).rejects.toMatchObject({ code: "CONNECT" });
  });
});
