import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresDialect } from "../../src/dialects/postgres/postgres-dialect.ts";
import { parseDatabaseUrl } from "../../src/dialects/registry.ts";
import { sqliteDialect } from "../../src/dialects/sqlite/sqlite-dialect.ts";
import { GenDumpError } from "../../src/errors.ts";
import type { DatabaseSchema, TableSchema } from "../../src/model/schema-model.ts";
import { type DumpRow, type DumpValue, RawText } from "../../src/model/values.ts";
import { type RunResult, genDump, readTree, tempDir, tsxRestore } from "../support/cli.ts";
import { type TestDatabase, createTestDatabase } from "../support/postgres-db.ts";
import { tableRows, withClient } from "./postgres-compare.ts";

/**
 * SQLite ⇄ PostgreSQL through the real binaries: a SQLite dump restores into PostgreSQL,
 * a PostgreSQL dump into SQLite, SQLite → PostgreSQL → SQLite gives back the same dump,
 * and a value the target cannot hold is an error naming table, column and row.
 */

function ok(result: RunResult): RunResult {
  expect(result.code, result.stderr).toBe(0);
  return result;
}

async function sql(url: string, text: string): Promise<pg.QueryResultRow[]> {
  return withClient(url, async (c) => (await c.query(text)).rows);
}

/**
 * A SQLite database whose values fit both engines, in the form gen-dump itself writes
 * SQLite tables from another engine's dump (the type names of the README's map, the
 * layout of the CREATE TABLE text), so that the round trip through PostgreSQL can be
 * compared byte for byte: unnamed and named constraints, a CHECK, CURRENT_TIMESTAMP and
 * literal defaults, and rowid keys PostgreSQL gets as identity columns.
 */
const PORTABLE_SQLITE = String.raw`
CREATE TABLE "items" (
  "id" INTEGER NOT NULL,
  "name" TEXT NOT NULL,
  "price" REAL,
  "qty" INTEGER DEFAULT 0,
  "data" BLOB,
  "flag" BOOLEAN,
  "amount" NUMERIC(10,2),
  "big" TEXT,
  "born" DATE,
  "at" TIMESTAMP,
  "note" VARCHAR(20),
  "label" TEXT DEFAULT 'none',
  "doc" TEXT,
  "uid" UUID,
  "added" TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY ("id"),
  UNIQUE ("name"),
  CHECK ((price > 0) OR (price IS NULL))
);
CREATE TABLE "lines" (
  "id" INTEGER NOT NULL,
  "item_id" INTEGER NOT NULL,
  "qty" INTEGER NOT NULL,
  CONSTRAINT "lines_key" PRIMARY KEY ("id"),
  FOREIGN KEY ("item_id") REFERENCES "items" ("id") ON DELETE CASCADE,
  CONSTRAINT "positive" CHECK (qty > 0)
);
CREATE INDEX "lines_item" ON "lines" ("item_id" DESC);
INSERT INTO items (id, name, price, qty, data, flag, amount, big, born, at, note, label, doc, uid) VALUES
  (1, 'a', 1.5, 3, x'00ff', 1, 12.5, '123456789012345678901234567890.000000001', '2020-01-01', '2020-01-01 10:00:00', 'n', 'x', '{"b":1,  "a":[1,2]}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
  (2, 'b "q" \ é 😀' || char(10) || 'line', 1e-300, -9223372036854775808, x'', 0, 7, '-0.5', '0044-03-15 BC', '2000-02-29 23:59:59.5', NULL, '', '[]', NULL),
  (3, 'c', 1e308, 9223372036854775807, NULL, NULL, -99999999.99, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (4, 'd', 5e-324, NULL, NULL, 1, 0.01, 'NaN', '9999-12-31', '1999-12-31 23:59:59.999999', '12345678901234567890', 'tab	tab', 'null', '00000000-0000-0000-0000-000000000000');
INSERT INTO lines VALUES (1, 1, 2), (2, 1, 3), (3, 2, 1);
`;

describe("SQLite ⇄ PostgreSQL through the CLI", () => {
  let dir: string;
  let pgDb: TestDatabase;
  beforeAll(async () => {
    dir = tempDir();
    pgDb = await createTestDatabase("pg_cross_cli");
  });
  afterAll(async () => {
    await pgDb?.drop();
  });

  it("SQLite → PostgreSQL → SQLite gives back the same dump, and PostgreSQL holds the values in its types", async () => {
    const source = join(dir, "shop.sqlite3");
    const db = new Database(source);
    db.exec(PORTABLE_SQLITE);
    db.close();
    const first = join(dir, "first");
    const second = join(dir, "second");
    const third = join(dir, "third");
    ok(await genDump(["--db", source, first]));
    ok(await tsxRestore(first, ["--db", pgDb.url]));
    const columns = await sql(pgDb.url, `SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod) || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), ''), ', ' ORDER BY attnum) AS t
      FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE attrelid = 'public.items'::regclass AND attnum > 0`);
    expect(columns[0]!.t).toBe(
      "id bigint, name text, price double precision, qty bigint default 0, data bytea, flag boolean, amount numeric(10,2), big text, born date, " +
        "at timestamp without time zone, note character varying(20), label text default 'none'::text, doc text, uid uuid, " +
        "added timestamp without time zone default (CURRENT_TIMESTAMP(0) AT TIME ZONE 'UTC'::text)",
    );
    const constraints = await sql(pgDb.url, "SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY conname");
    expect(constraints.map((c) => `${c.conname}: ${c.def}`)).toEqual([
      "items_name_key: UNIQUE (name)",
      "items_pkey: PRIMARY KEY (id)",
      "items_price_check: CHECK (((price > (0)::double precision) OR (price IS NULL)))",
      "lines_item_id_fkey: FOREIGN KEY (item_id) REFERENCES public.items(id) ON DELETE CASCADE",
      "lines_key: PRIMARY KEY (id)",
      "positive: CHECK ((qty > 0))",
    ]);
    // SQLite's rowid keys are identity columns that go on after the largest key.
    const next = await withClient(pgDb.url, async (c) => {
      await c.query("BEGIN");
      const inserted = await c.query("INSERT INTO public.items (name) VALUES ('new') RETURNING id, added IS NOT NULL AS stamped");
      await c.query("ROLLBACK");
      return inserted.rows;
    });
    expect(next).toEqual([{ id: "5", stamped: true }]);
    const rows = await withClient(pgDb.url, tableRows);
    // NOTE: the last column, "added", holds the time the source row was inserted.
    expect(rows["public.items"]![0]!.replace(/,"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"\)$/, ")")).toBe(
      '(1,a,1.5,3,"\\\\x00ff",t,12.50,123456789012345678901234567890.000000001,2020-01-01,"2020-01-01 10:00:00",n,x,"{""b"":1,  ""a"":[1,2]}",a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11)',
    );
    expect(rows["public.items"]![1]).toContain("0044-03-15 BC");
    expect(rows["public.lines"]).toEqual(["(1,1,2)", "(2,1,3)", "(3,2,1)"]);
    ok(await genDump(["--db", pgDb.url, second]));
    const back = join(dir, "back");
    mkdirSync(back);
    const toSqlite = ok(await tsxRestore(second, ["--db", join(back, "shop.sqlite3")]));
    // The rolled-back insert moved the sequence: SQLite cannot keep that, and says so.
    expect(toSqlite.stderr).toContain("restore.ts: warning: public.items.id: the source's next id was 6; SQLite assigns 5 next");
    ok(await genDump(["--db", join(back, "shop.sqlite3"), third]));
    expect(readTree(third)).toEqual(readTree(first));
  });

  it("says what of a SQLite schema PostgreSQL cannot take, and restores the rest", async () => {
    const source = join(dir, "odd.sqlite3");
    const db = new Database(source);
    db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT CHECK (name LIKE 'a%'), n INTEGER CHECK (length(n) < 5), r REAL DEFAULT (random()), d TEXT DEFAULT CURRENT_DATE);
      CREATE INDEX t_lower ON t (lower(name));
      CREATE VIEW v AS SELECT name FROM t;
      CREATE TRIGGER t_touch AFTER UPDATE ON t BEGIN UPDATE t SET n = n + 1 WHERE id = new.id; END;
      INSERT INTO t (id, name, n, r) VALUES (7, 'abc', 12, 0.5);
      DELETE FROM t; INSERT INTO t (id, name, n, r) VALUES (3, 'abc', 12, 0.5);`);
    db.close();
    const out = join(dir, "odd");
    ok(await genDump(["--db", source, out]));
    const target = await createTestDatabase("pg_cross_odd");
    try {
      const result = ok(await tsxRestore(out, ["--db", target.url]));
      const warnings = result.stderr.split("\n").filter((l) => l.startsWith("restore.ts: warning: "));
      expect(warnings).toEqual([
        `restore.ts: warning: t.r: default "random()" left out (it has no PostgreSQL equivalent for a double precision column).`,
        "restore.ts: warning: t: index t_lower left out (an expression or partial index in another engine's SQL).",
        `restore.ts: warning: t: CHECK constraint ("name LIKE 'a%'") left out (it uses SQL PostgreSQL does not share).`,
        "restore.ts: warning: view v left out (its SQL is another engine's).",
        "restore.ts: warning: trigger t_touch left out (its SQL is another engine's).",
        expect.stringMatching(/^restore\.ts: warning: t: CHECK constraint \("length\(n\) < 5"\) left out \(PostgreSQL refused it: function length\(bigint\) does not exist\)\.$/),
      ]);
      // The AUTOINCREMENT counter (7) is where the identity goes on, not after the largest key (3).
      const next = await sql(target.url, "SELECT nextval(pg_get_serial_sequence('public.t', 'id'))::int AS id");
      expect(next).toEqual([{ id: 8 }]);
      const defaults = await sql(target.url, "SELECT pg_get_expr(adbin, adrelid) AS d FROM pg_attrdef WHERE adrelid = 'public.t'::regclass");
      expect(defaults).toEqual([{ d: "to_char((CURRENT_TIMESTAMP AT TIME ZONE 'UTC'::text), 'YYYY-MM-DD'::text)" }]);
    } finally {
      await target.drop();
    }
  });

  it("a PostgreSQL dump restores into SQLite with every value as it was", async () => {
    const source = await createTestDatabase("pg_to_sqlite");
    try {
      await sql(source.url, `CREATE SCHEMA app;
        CREATE TYPE app.mood AS ENUM ('sad', 'ok');
        CREATE TABLE app.things (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, i2 smallint, n numeric(12,3), big numeric, r real, d double precision,
          b boolean, t text NOT NULL DEFAULT 'x', v varchar(5), c char(3), by bytea, dt date, ts timestamp(3), tz timestamptz, iv interval, u uuid,
          j json, jb jsonb, arr integer[], m app.mood, ip inet, g integer GENERATED ALWAYS AS (i2 * 2) STORED);
        INSERT INTO app.things (i2, n, big, r, d, b, t, v, c, by, dt, ts, tz, iv, u, j, jb, arr, m, ip) VALUES
          (-32768, 123456789.125, 1e40, 1.1, 5e-324, true, E'a\\nb ''q'' 😀', 'abc', 'x', '\\x00ff', '0001-01-01 BC', '2020-01-01 10:00:00.123', '2020-01-01 10:00:00+05:30',
           '1 mon -2 days 03:00:00', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"b":1,  "a":2}', '{"b":1,"a":2}', '{{1,NULL},{3,4}}', 'ok', '10.0.0.1/8'),
          (NULL, 'NaN', '-Infinity', '-Infinity', 'Infinity', false, '', NULL, NULL, '', 'infinity', NULL, NULL, NULL, NULL, NULL, NULL, '{}', 'sad', NULL);
        CREATE TABLE app.refs (id integer PRIMARY KEY, thing bigint REFERENCES app.things (id));
        INSERT INTO app.refs VALUES (1, 1), (2, NULL);
        CREATE TABLE app.limits (id integer PRIMARY KEY, v integer CHECK (v >= 0));
        INSERT INTO app.limits VALUES (1, 50);
        ALTER TABLE app.limits ADD CONSTRAINT v_small CHECK (v < 10) NOT VALID;`);
      const out = join(dir, "pg-to-sqlite");
      ok(await genDump(["--db", source.url, out]));
      const file = join(dir, "from-pg.sqlite3");
      const restored = ok(await tsxRestore(out, ["--db", file]));
      // A NOT VALID check holds only for new rows: SQLite would check the old ones too.
      expect(restored.stderr).toContain('restore.ts: warning: app.limits: CHECK constraint v_small ("(v < 10)") left out (NOT VALID in the source');
      expect(restored.stderr).not.toContain("limits_v_check");
      const db = new Database(file, { readonly: true });
      try {
        const things = db.prepare("SELECT * FROM things ORDER BY id").raw().all() as unknown[][];
        expect(things[0]).toEqual([
          1, -32768, 123456789.125, "1" + "0".repeat(40), 1.1, 5e-324, 1, "a\nb 'q' 😀", "abc", "x  ", Buffer.from([0, 255]), "0001-01-01 BC",
          "2020-01-01 10:00:00.123", "2020-01-01 04:30:00+00", "1 mon -2 days +03:00:00", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", '{"b":1,  "a":2}', '{"a": 2, "b": 1}',
          "{{1,NULL},{3,4}}", "ok", "10.0.0.1/8",
        ]);
        expect(things[1]).toEqual([2, null, "NaN", "-Infinity", -Infinity, Infinity, 0, "", null, null, Buffer.alloc(0), "infinity", null, null, null, null, null, null, "{}", "sad", null]);
        expect(db.prepare("SELECT * FROM refs ORDER BY id").raw().all()).toEqual([[1, 1], [2, null]]);
        expect(db.prepare("SELECT sql FROM sqlite_master WHERE name = 'limits'").pluck().get()).toContain("CHECK (v >= 0)");
        const declared = db.prepare("SELECT name, type FROM pragma_table_info('things')").raw().all();
        expect(declared).toContainEqual(["n", "NUMERIC(12,3)"]);
        expect(declared).toContainEqual(["big", "NUMERIC_TEXT"]);
        expect(declared).toContainEqual(["ts", "TIMESTAMP"]);
      } finally {
        db.close();
      }
    } finally {
      await source.drop();
    }
  });

  it("names table, column, file and line of a SQLite value PostgreSQL would change, and leaves the target unchanged", async () => {
    const source = join(dir, "bad.sqlite3");
    const db = new Database(source);
    db.exec(`CREATE TABLE events (id INTEGER PRIMARY KEY, at DATETIME, note TEXT);
      INSERT INTO events VALUES (1, '2020-01-01 10:00:00', 'fine'), (2, '2020-01-01T10:00:00.000Z', 'js date'), (3, NULL, NULL);`);
    db.close();
    const out = join(dir, "bad");
    ok(await genDump(["--db", source, out]));
    const target = await createTestDatabase("pg_cross_bad");
    try {
      const result = await tsxRestore(out, ["--db", target.url]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("data/events.ts:8:");
      expect(result.stderr).toContain("Loading table events failed at row 1 (column at)");
      expect(result.stderr).toContain('would store "2020-01-01T10:00:00.000Z" as "2020-01-01 10:00:00"');
      expect(await sql(target.url, "SELECT count(*)::int AS n FROM pg_class WHERE relname = 'events'")).toEqual([{ n: 0 }]);
    } finally {
      await target.drop();
    }
  });
});

async function caught(promise: Promise<unknown>): Promise<GenDumpError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GenDumpError);
    return error as GenDumpError;
  }
  throw new Error("expected a GenDumpError");
}

function column(name: string, type: string, kind: string, native: string, params?: number[]) {
  return {
    name, declaredType: native, type: { name: type, native, ...(params ? { params } : {}) }, kind, nullable: name !== "id",
    default: null, collation: null, generated: null, identity: null, comment: null,
  };
}

describe("values another engine cannot hold", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("pg_cross_values");
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("PostgreSQL refuses, naming column and row, what it would store differently or not at all", async () => {
    const table = {
      key: "t", schema: null, name: "t", rowidColumn: null,
      columns: [
        column("id", "integer", "integer", "INTEGER"), column("r", "real", "real", "REAL"), column("s", "text", "text", "TEXT"),
        column("misc", "any", "any", ""), column("amount", "numeric", "any", "NUMERIC(10,2)", [10, 2]), column("at", "timestamp", "text", "DATETIME"),
        column("u", "uuid", "text", "UUID"), column("v", "text", "text", "VARCHAR(3)", [3]), column("d", "date", "text", "DATE"),
      ],
      primaryKey: { name: null, columns: ["id"] }, uniques: [], foreignKeys: [], checks: [], indexes: [],
      orderBy: ["id"], rowCount: 0, dataDumped: true, comment: null, options: {}, native: { create: [], after: [] },
    } as unknown as TableSchema;
    const schema: DatabaseSchema = { engine: "sqlite", tables: [table], objects: [], types: [], sequences: [], schemas: [], settings: {} };
    const names = table.columns.map((c) => c.name);
    const good: DumpRow = [1n, 1.5, "s", "m", 12.5, "2020-01-01 10:00:00", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "abc", "2020-01-01"];
    const cases: readonly [string, number, DumpValue, RegExp][] = [
      ["r", 1, 2n ** 60n + 1n, /the integer 1152921504606846977 cannot be stored in a floating-point column/],
      ["s", 2, 5n, /the integer 5 cannot be stored in a PostgreSQL text column/],
      ["s", 2, new Uint8Array([1]), /a blob of 1 bytes cannot be stored/],
      ["s", 2, "a\0b", /cannot hold NUL/],
      ["s", 2, new RawText(new Uint8Array([0xff])), /not valid UTF-8/],
      ["misc", 3, 2.5, /the real 2.5 cannot be stored in a PostgreSQL text column/],
      ["amount", 4, 1.234, /numeric\(10, 2\) would store "1.234" as "1.23"/],
      ["at", 5, "2020-01-01T10:00:00Z", /timestamp would store "2020-01-01T10:00:00Z" as "2020-01-01 10:00:00"/],
      ["u", 6, "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", /uuid would store "A0EEBC99/],
      ["v", 7, "ab   ", /varchar\(3\) would store "ab   " as "ab "/],
      ["v", 7, "abcd", /value too long/],
      ["d", 8, "2020-1-1", /date would store "2020-1-1" as "2020-01-01"/],
    ];
    const target = await postgresDialect.openTarget({ url: parseDatabaseUrl(db.url) });
    try {
      await target.begin();
      await target.createBeforeData(schema);
      await target.insertRows(table, names, [good]);
      for (const [name, index, value, message] of cases) {
        await target.savepoint("case");
        const bad = [...good];
        bad[0] = 2n;
        bad[index] = value;
        const error = await caught(target.insertRows(table, names, [[3n, ...good.slice(1)], bad]));
        expect(error.message, name).toMatch(message);
        expect(error.context, error.message).toMatchObject({ table: "t", column: name, row: 1 });
        await target.rollbackToSavepoint("case");
      }
      await target.commit();
    } finally {
      await target.close();
    }
    expect(await withClient(db.url, tableRows)).toEqual({
      "public.t": ['(1,1.5,s,m,12.50,"2020-01-01 10:00:00",a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,abc,2020-01-01)'],
    });
  });

  it("SQLite refuses NaN and -0 from PostgreSQL, and a table without columns, naming them", async () => {
    const dir = tempDir();
    const table = {
      key: "app.f", schema: "app", name: "f", rowidColumn: null,
      columns: [column("id", "integer", "integer", "integer"), column("x", "real", "real", "double precision")],
      primaryKey: { name: "f_pkey", columns: ["id"] }, uniques: [], foreignKeys: [], checks: [], indexes: [],
      orderBy: ["id"], rowCount: 0, dataDumped: true, comment: null, options: {}, native: { create: [], after: [] },
    } as unknown as TableSchema;
    const schema: DatabaseSchema = { engine: "postgres", tables: [table], objects: [], types: [], sequences: [], schemas: ["app"], settings: {} };
    const target = await sqliteDialect.openTarget({ url: parseDatabaseUrl(join(dir, "f.sqlite3")) });
    try {
      await target.begin();
      await target.createBeforeData(schema);
      await target.insertRows(table, ["id", "x"], [[1n, 0]]);
      const nan = await caught(target.insertRows(table, ["id", "x"], [[2n, 1], [3n, NaN]]));
      expect(nan.context).toMatchObject({ table: "app.f", column: "x", row: 1 });
      expect(nan.message).toContain("NaN (it would become NULL)");
      const negativeZero = await caught(target.insertRows(table, ["id", "x"], [[4n, -0]]));
      expect(negativeZero.context).toMatchObject({ table: "app.f", column: "x", row: 0 });
      expect(negativeZero.message).toContain("-0 (it would become 0)");
    } finally {
      await target.rollback();
      await target.close();
    }
    const empty = { ...table, key: "app.none", name: "none", columns: [], primaryKey: null, orderBy: [] } as unknown as TableSchema;
    const second = await sqliteDialect.openTarget({ url: parseDatabaseUrl(join(dir, "g.sqlite3")) });
    try {
      await second.begin();
      const error = await caught(second.createBeforeData({ ...schema, tables: [empty] }));
      expect(error.message).toContain("Table app.none has no columns SQLite can hold");
      expect(error.message).toContain('--exclude-table "app.none"');
    } finally {
      await second.rollback();
      await second.close();
    }
  });
});
