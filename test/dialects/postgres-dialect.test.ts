import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TableSelection } from "../../src/dialects/dialect.ts";
import { postgresDialect } from "../../src/dialects/postgres/postgres-dialect.ts";
import { parseDatabaseUrl } from "../../src/dialects/registry.ts";
import { GenDumpError } from "../../src/errors.ts";
import { type DatabaseSchema, type TableSchema, dataColumns } from "../../src/model/schema-model.ts";
import type { DumpRow } from "../../src/model/values.ts";
import { type TestDatabase, createTestDatabase, testAdminUrl } from "../support/postgres-db.ts";
import { catalogFacts, pgDumpSchema, tableRows, withClient } from "./postgres-compare.ts";
import { POSTGRES_FIXTURE_SCRIPTS } from "./postgres-fixture.ts";

interface Dumped {
  readonly schema: DatabaseSchema;
  readonly rows: Map<string, DumpRow[]>;
}

async function dumpDatabase(url: string, selection?: TableSelection): Promise<Dumped> {
  const source = await postgresDialect.openSource({ url: parseDatabaseUrl(url), selection });
  try {
    const schema = await source.introspect();
    const rows = new Map<string, DumpRow[]>();
    for (const table of schema.tables) {
      const all: DumpRow[] = [];
      if (table.dataDumped) for await (const batch of source.readRows(table, { batchSize: 3 })) all.push(...batch);
      rows.set(table.key, all);
    }
    // The schema must be plain JSON: it is written into schema.ts and read back.
    return { schema: JSON.parse(JSON.stringify(schema)) as DatabaseSchema, rows };
  } finally {
    await source.close();
  }
}

async function restoreInto(url: string, dumped: Dumped, batch = 2): Promise<void> {
  const target = await postgresDialect.openTarget({ url: parseDatabaseUrl(url) });
  try {
    const state = await target.inspect();
    await target.begin();
    if (!state.empty) await target.clear(dumped.schema);
    await target.createBeforeData(dumped.schema);
    for (const table of dumped.schema.tables) {
      const rows = dumped.rows.get(table.key) ?? [];
      for (let i = 0; i < rows.length; i += batch) await target.insertRows(table, dataColumns(table), rows.slice(i, i + batch));
    }
    await target.createAfterData(dumped.schema);
    await target.commit();
  } finally {
    await target.close();
  }
}

async function makeFixture(prefix: string, settings: Record<string, string> = {}): Promise<TestDatabase> {
  const db = await createTestDatabase(prefix);
  await withClient(testAdminUrl(), async (c) => {
    for (const [name, value] of Object.entries(settings)) await c.query(`ALTER DATABASE "${db.name}" SET ${name} = '${value}'`);
  });
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    for (const script of POSTGRES_FIXTURE_SCRIPTS) await client.query(script);
  } finally {
    await client.end();
  }
  return db;
}

async function serverMajor(url: string): Promise<number> {
  return withClient(url, async (c) => Math.floor(Number((await c.query("SHOW server_version_num")).rows[0].server_version_num) / 10000));
}

function table(dumped: Dumped, key: string): TableSchema {
  const found = dumped.schema.tables.find((t) => t.key === key);
  if (found === undefined) throw new Error(`no table ${key}`);
  return found;
}

const SERVER_SETTINGS: readonly Record<string, string>[] = [
  { TimeZone: "UTC" },
  { TimeZone: "Pacific/Chatham", DateStyle: "SQL, DMY", IntervalStyle: "iso_8601", extra_float_digits: "0", bytea_output: "escape" },
];
const CLIENT_ZONES = ["UTC", "America/St_Johns"];

describe.each(CLIENT_ZONES.flatMap((client) => SERVER_SETTINGS.map((server) => [client, server] as const)))(
  "PostgreSQL round trip (client TZ %s, server %o)",
  (clientZone, serverSettings) => {
    let source: TestDatabase;
    let target: TestDatabase;
    const saved = { TZ: process.env.TZ, PGOPTIONS: process.env.PGOPTIONS };
    beforeAll(async () => {
      source = await makeFixture("pg_src", serverSettings);
      target = await createTestDatabase("pg_dst");
      await withClient(testAdminUrl(), (c) => c.query(`ALTER DATABASE "${target.name}" SET TimeZone = '${serverSettings.TimeZone}'`));
      process.env.TZ = clientZone;
      process.env.PGOPTIONS = `-c TimeZone=${clientZone} -c DateStyle=German -c extra_float_digits=-2`;
    });
    afterAll(async () => {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
      await source?.drop();
      await target?.drop();
    });

    it("restores every row, object and sequence state exactly", async () => {
      const first = await dumpDatabase(source.url);
      expect(first.schema.types.map((t) => t.name)).not.toContain("unused_enum");
      await restoreInto(target.url, first);
      const second = await dumpDatabase(target.url);
      expect(second.schema).toEqual(first.schema);
      expect(second.rows).toEqual(first.rows);
      await withClient(source.url, (c) => c.query("DROP TYPE public.unused_enum"));
      const [srcRows, dstRows, srcFacts, dstFacts] = await Promise.all([
        withClient(source.url, tableRows),
        withClient(target.url, tableRows),
        withClient(source.url, catalogFacts),
        withClient(target.url, catalogFacts),
      ]);
      expect(Object.keys(dstRows).length).toBe(19);
      expect(dstRows).toEqual(srcRows);
      expect(dstFacts).toEqual(srcFacts);
      if ((await serverMajor(source.url)) === 15) {
        const [a, b] = await Promise.all([pgDumpSchema(source.url), pgDumpSchema(target.url)]);
        expect(a).toContain('CREATE TABLE "Odd ""Sch"".ü"."Ta.ble ""Q"" Ü"');
        expect(b).toEqual(a);
      }
      const nextvals = (url: string) =>
        withClient(url, async (c) => {
          const { rows } = await c.query<{ v: string }>("SELECT s.seqrelid::regclass::text || '=' || nextval(s.seqrelid) AS v FROM pg_sequence s ORDER BY 1");
          return rows.map((r) => r.v);
        });
      const restored = await nextvals(target.url);
      expect(restored).toEqual(await nextvals(source.url));
      expect(restored).toContain("public.serial_t_id_seq=51");
      expect(restored).toContain("public.free_seq=7");
    });

    it("reads values in their exact neutral form", async () => {
      const { schema, rows } = await dumpDatabase(source.url, { tables: ["public.all_types"] });
      const t = schema.tables[0]!;
      const col = (name: string) => dataColumns(t).indexOf(name);
      const all = rows.get(t.key)!;
      const [r1, r2, r3, r4, r5] = all;
      expect(r1![col("i8")]).toBe(-9223372036854775808n);
      expect(r2![col("i8")]).toBe(9223372036854775807n);
      expect(r1![col("i2")]).toBe(-32768n);
      expect(r1![col("num")]).toBe("0.000000000000000000000000000001");
      expect(r1![col("num_ps")]).toBe("1.500");
      expect(r2![col("num")]).toBe("NaN");
      expect(r3![col("num")]).toBe("Infinity");
      expect(r4![col("num")]).toBe("-Infinity");
      expect(r1![col("r4")]).toBeNaN();
      expect(r2![col("r4")]).toBe(Infinity);
      expect(r2![col("r8")]).toBe(-Infinity);
      expect(Object.is(r3![col("r4")], -0)).toBe(true);
      expect(Object.is(r4![col("r8")], -0)).toBe(true);
      expect(r3![col("r8")]).toBe(5e-324);
      expect(r4![col("r4")]).toBe(1.1);
      expect(r5![col("r8")]).toBe(1.7976931348623157e308);
      expect(r1![col("b")]).toBe(true);
      expect(r2![col("b")]).toBe(false);
      expect(r1![col("t")]).toBe("tab\there\nnew line\\back \"dq\" 'sq' \r cr");
      expect(r1![col("ch")]).toBe("ab   ");
      expect(r4![col("vc")]).toBe("\\N");
      expect(r4![col("t")]).toBe("NULL");
      expect(r1![col("by")]).toEqual(new Uint8Array([0, 255, 0x5c, 10]));
      expect(r2![col("by")]).toEqual(new Uint8Array([]));
      expect(r1![col("d")]).toBe("4713-01-01 BC");
      expect(r1![col("ts")]).toBe("294276-12-31 23:59:59.999999");
      expect(r1![col("tstz")]).toBe("infinity");
      expect(r2![col("tstz")]).toBe("1999-12-31 18:30:00.000001+00");
      expect(r1![col("j")]).toBe('{"b":1,  "a":2, "a":3}');
      expect(r3![col("j")]).toBe(' { "z" : [ 1 , 2 ] } ');
      expect(r1![col("arr2")]).toBe("{{1,2},{3,NULL}}");
      expect(r1![col("arrlb")]).toBe("[0:1]={1,2}");
      expect(r1![col("m")]).toBe("meh");
      expect(r1![col("mon")]).toBe("-$92,233,720,368,547,758.08");
    expect(r3![col("rc")]).toBe('public."v on view"');
    expect(r1![col("rc")]).toBe("public.mv");
      expect(r5![col("t")]).toBeNull();
      expect(t.columns.find((c) => c.name === "dom")!.kind).toBe("integer");
      expect(t.columns.find((c) => c.name === "vc")!.type).toEqual({ name: "text", params: [10], native: "character varying(10)" });
      expect(t.columns.find((c) => c.name === "moods")!.type).toMatchObject({ name: "other", arrayDims: 1 });
    });
  },
);

describe("PostgreSQL dialect", () => {
  let fixture: TestDatabase;
  beforeAll(async () => {
    fixture = await makeFixture("pg_fixture");
  });
  afterAll(async () => {
    await fixture?.drop();
  });

  it("honours pg_dump-style selection patterns", async () => {
    const keysOf = async (selection: TableSelection) => (await dumpDatabase(fixture.url, selection)).schema.tables.map((t) => `${t.schema}.${t.name}`);
    expect(await keysOf({ tables: ['"Odd ""Sch"".ü"."Ta.ble ""Q"" Ü"'] })).toEqual(['Odd "Sch".ü.Ta.ble "Q" Ü']);
    expect(await keysOf({ tables: ["public.ident_*", "USER"] })).toEqual(["public.ident_always", "public.ident_default"]);
    expect(await keysOf({ tables: ['"User"', "serial_?"] })).toEqual(["public.User", "public.serial_t"]);
    expect(await keysOf({ excludeSchemas: ["public"] })).toEqual(['Odd "Sch".ü.Ta.ble "Q" Ü', "select.from"]);
    const some = await dumpDatabase(fixture.url, { schemas: ["public"], excludeTables: ["*.m*"], excludeTableData: ["public.all_types"] });
    expect(some.schema.tables.some((t) => t.name.startsWith("m"))).toBe(false);
    expect(some.schema.tables.find((t) => t.name === "all_types")!.dataDumped).toBe(false);
    expect(some.schema.schemas).toEqual([]);
    const selected = await dumpDatabase(fixture.url, { tables: ["public.serial_t"] });
    expect(selected.schema.sequences.map((s) => s.name)).toEqual(["serial_t_id_seq"]);
    await expect(dumpDatabase(fixture.url, { tables: ["a.b.c"] })).rejects.toMatchObject({ code: "USAGE" });
  });

  it("orders rows by primary key, else by every column, and never mixes in children", async () => {
    const { rows, schema } = await dumpDatabase(fixture.url, { tables: ["public.animal", "public.dog", "public.nopk", "public.nocols", "public.measure*"] });
    expect(rows.get("public.animal")).toEqual([[1n, "generic"]]);
    expect(rows.get("public.dog")).toEqual([[2n, "rex", "lab"], [3n, "rex", "lab"]]);
    expect(rows.get("public.nocols")).toEqual([[], [], []]);
    expect(rows.get("public.nopk")!.map((r) => r[0])).toEqual(["[1]", '{"a":1}', '{"a":1}', null, null]);
    expect(rows.get("public.nopk")![1]).toEqual(['{"a":1}', "(1,2)", "1.5", 0, "B"]);
    expect(table({ schema, rows }, "public.measure").dataDumped).toBe(false);
    expect(rows.get("public.measure_def")).toEqual([[ "2.50", "1999-01-01", 2n]]);
  });

  it("stops reading early without breaking the session", async () => {
    const source = await postgresDialect.openSource({ url: parseDatabaseUrl(fixture.url) });
    try {
      const schema = await source.introspect();
      const all = schema.tables.find((t) => t.name === "all_types")!;
      for await (const batch of source.readRows(all, { batchSize: 1 })) {
        expect(batch).toHaveLength(1);
        break;
      }
      let count = 0;
      for await (const batch of source.readRows(all, { batchSize: 2 })) count += batch.length;
      expect(count).toBe(5);
    } finally {
      await source.close();
    }
  });
});

async function sql(url: string, text: string): Promise<pg.QueryResultRow[]> {
  return withClient(url, async (c) => (await c.query(text)).rows);
}

function caught(promise: Promise<unknown>): Promise<GenDumpError> {
  return promise.then(
    () => {
      throw new Error("expected a GenDumpError");
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(GenDumpError);
      return error as GenDumpError;
    },
  );
}

describe("PostgreSQL dialect errors and targets", () => {
  let fixture: TestDatabase;
  let dumped: Dumped;
  beforeAll(async () => {
    fixture = await makeFixture("pg_err_src");
    dumped = await dumpDatabase(fixture.url);
  });
  afterAll(async () => {
    await fixture?.drop();
  });

  it("reports an unreachable server, a wrong password and a missing database as CONNECT errors", async () => {
    const unreachable = await caught(postgresDialect.openSource({ url: parseDatabaseUrl("postgres://someone:topsecret@127.0.0.1:1/db") }));
    expect(unreachable.code).toBe("CONNECT");
    expect(unreachable.message).toContain("postgres://someone:*****@127.0.0.1:1/db");
    expect(unreachable.message).toContain("ECONNREFUSED");
    expect(unreachable.message).not.toContain("topsecret");
    const wrong = new URL(fixture.url);
    wrong.password = "not-the-password";
    const denied = await caught(postgresDialect.openTarget({ url: parseDatabaseUrl(wrong.href) }));
    expect(denied.code).toBe("CONNECT");
    expect(denied.message).toContain("password authentication failed");
    expect(denied.message).not.toContain("not-the-password");
    const missing = new URL(fixture.url);
    missing.pathname = "/no_such_database_here";
    const absent = await caught(postgresDialect.openSource({ url: parseDatabaseUrl(missing.href) }));
    expect(absent.code).toBe("CONNECT");
    expect(absent.message).toContain('database "no_such_database_here" does not exist');
  });

  it("names the table a role may not read", async () => {
    const db = await createTestDatabase("pg_priv");
    const role = `reader_${db.name.slice(-10)}`;
    try {
      await sql(db.url, `CREATE ROLE ${role} LOGIN PASSWORD 'pw';
        CREATE TABLE public.open_t (id serial PRIMARY KEY); CREATE TABLE public.secret_t (id integer PRIMARY KEY);
        INSERT INTO public.open_t DEFAULT VALUES; INSERT INTO public.secret_t VALUES (1);
        GRANT USAGE ON SCHEMA public TO ${role}; GRANT SELECT ON public.open_t TO ${role};`);
      const url = new URL(db.url);
      url.username = role;
      url.password = "pw";
      const source = await postgresDialect.openSource({ url: parseDatabaseUrl(url.href) });
      try {
        const schema = await source.introspect();
        expect(schema.sequences[0]).toMatchObject({ name: "open_t_id_seq", lastValue: null });
        const open = schema.tables.find((t) => t.name === "open_t")!;
        const secret = schema.tables.find((t) => t.name === "secret_t")!;
        for await (const batch of source.readRows(open)) expect(batch).toEqual([[1n]]);
        const error = await caught((async () => {
          for await (const _ of source.readRows(secret)) void _;
        })());
        expect(error.code).toBe("READ");
        expect(error.context.table).toBe("public.secret_t");
        expect(error.message).toContain("public.secret_t");
        expect(error.message).toContain("permission denied");
      } finally {
        await source.close();
      }
    } finally {
      await db.drop();
      await sql(testAdminUrl(), `DROP ROLE IF EXISTS ${role}`);
    }
  });

  it("leaves the target unchanged when a row, a value or a constraint fails", async () => {
    const db = await createTestDatabase("pg_fail");
    try {
      await sql(db.url, "CREATE TABLE public.keep_me (id integer); INSERT INTO public.keep_me VALUES (1)");
      const before = await withClient(db.url, catalogFacts);
      const attempt = async (load: (t: Awaited<ReturnType<typeof postgresDialect.openTarget>>) => Promise<void>) => {
        const target = await postgresDialect.openTarget({ url: parseDatabaseUrl(db.url) });
        try {
          await target.begin();
          await target.clear(dumped.schema);
          await target.createBeforeData(dumped.schema);
          return await caught(load(target));
        } finally {
          await target.rollback();
          await target.close();
        }
      };
      const checked = table(dumped, "public.checked");
      const all = table(dumped, "public.all_types");
      const check = await attempt((t) => t.insertRows(checked, ["id", "v"], [[1n, 5n], [2n, 7n], [3n, -1n]]));
      expect(check).toMatchObject({ code: "RESTORE", context: { table: "public.checked", row: 2 } });
      expect(check.message).toContain('"v positive"');
      const range = await attempt((t) => t.insertRows(all, ["id", "i4"], [[10n, 1n], [11n, 2n ** 40n]]));
      expect(range).toMatchObject({ code: "RESTORE", context: { table: "public.all_types", row: 1, column: "i4" } });
      const kind = await attempt((t) => t.insertRows(all, ["id", "i4"], [[10n, 1n], [11n, 2n], [12n, "abc"]]));
      expect(kind).toMatchObject({ code: "RESTORE", context: { table: "public.all_types", row: 2, column: "i4" } });
      expect(kind.message).toContain('the text "abc" cannot be stored in an integer column');
      const fk = await attempt(async (t) => {
        await t.insertRows(table(dumped, "public.child_t"), ["id", "parent_id", "self_id"], [[1n, 999n, null]]);
        await t.createAfterData(dumped.schema);
      });
      expect(fk.code).toBe("RESTORE");
      expect(fk.message).toContain("foreign key");
      expect(await withClient(db.url, catalogFacts)).toEqual(before);
      expect(await sql(db.url, "SELECT id FROM public.keep_me")).toEqual([{ id: 1 }]);
    } finally {
      await db.drop();
    }
  });

  it("replaces what a non-empty target holds under the dump's names", async () => {
    const db = await createTestDatabase("pg_replace");
    try {
      await sql(db.url, `CREATE TYPE public.mood AS ENUM ('old');
        CREATE TABLE public.checked (id integer, stale text); INSERT INTO public.checked VALUES (99, 'stale');
        CREATE VIEW public.v_checked AS SELECT 1 AS x; CREATE SEQUENCE public.serial_t;
        CREATE TABLE public.keep_me (id integer)`);
      await restoreInto(db.url, dumped);
      const rows = await withClient(db.url, tableRows);
      expect(rows["public.checked"]).toEqual(["(1,5)", "(2,20)"]);
      expect(rows["public.keep_me"]).toEqual([]);
      const state = await (await postgresDialect.openTarget({ url: parseDatabaseUrl(db.url) })).inspect();
      expect(state.empty).toBe(false);
      expect(state.tables.find((t) => t.name === "checked")).toEqual({ schema: "public", name: "checked", rows: 2 });
    } finally {
      await db.drop();
    }
  });

  it("restores a SQLite dump's neutral schema with mapped types", async () => {
    const db = await createTestDatabase("pg_cross");
    const col = (name: string, type: string, kind: string, native: string, extra: object = {}) => ({
      name, declaredType: native, type: { name: type, native, ...extra }, kind, nullable: name !== "id",
      default: null, collation: null, generated: null, identity: null, comment: null,
    });
    const items = {
      key: "items", schema: null, name: "items", rowidColumn: null,
      columns: [
        col("id", "integer", "integer", "INTEGER"), col("price", "real", "real", "REAL"), col("name", "text", "text", "TEXT"),
        col("data", "blob", "blob", "BLOB"), col("misc", "any", "any", ""), col("amount", "numeric", "text", "DECIMAL(10,2)", { params: [10, 2] }),
        col("flag", "boolean", "boolean", "BOOLEAN"), col("born", "date", "text", "DATE"), col("at", "timestamp", "text", "DATETIME"),
      ],
      primaryKey: { name: null, columns: ["id"] }, uniques: [{ name: "items_name", columns: ["name"] }], foreignKeys: [], checks: [],
      indexes: [{ name: "items_price", unique: false, parts: [{ column: "price", desc: true }], where: null, sql: "CREATE INDEX items_price ON items (price DESC)" }],
      orderBy: ["id"], rowCount: 3, dataDumped: true, comment: null, options: {}, native: { create: ["CREATE TABLE items (...)"], after: [] },
    } as unknown as TableSchema;
    const lines = {
      ...items, key: "lines", name: "lines", rowidColumn: "rowid", columns: [col("item_id", "integer", "integer", "INTEGER")], primaryKey: null, uniques: [], indexes: [],
      foreignKeys: [{ name: null, columns: ["item_id"], refSchema: null, refTable: "items", refColumns: ["id"], onUpdate: "no action", onDelete: "cascade", deferrable: "not deferrable" }],
    } as unknown as TableSchema;
    const schema: DatabaseSchema = { engine: "sqlite", tables: [items, lines], objects: [], types: [], sequences: [], schemas: [], settings: {} };
    try {
      const target = await postgresDialect.openTarget({ url: parseDatabaseUrl(db.url) });
      try {
        await target.begin();
        await target.createBeforeData(schema);
        const columns = items.columns.map((c) => c.name);
        await target.insertRows(items, columns, [
          [1n, 1.5, "a", new Uint8Array([1, 2]), "5", "12.50", 1n, "2020-01-01", "2020-01-01 10:00:00"],
          [2n, -0, "b\tc\\", null, "2.5", 2.5, false, null, null],
          [3n, NaN, "ü", null, "text", null, true, null, null],
        ]);
        const blob = await caught(target.insertRows(items, columns, [[4n, 1, "d", null, new Uint8Array([1]), null, null, null, null]]));
        expect(blob).toMatchObject({ code: "RESTORE", context: { table: "items", column: "misc", row: 0 } });
        // An integer in a column without a type would come back as text from PostgreSQL.
        const integer = await caught(target.insertRows(items, columns, [[4n, 1, "d", null, 5n, null, null, null, null]]));
        expect(integer).toMatchObject({ code: "RESTORE", context: { table: "items", column: "misc", row: 0 } });
        await target.insertRows(lines, ["rowid", "item_id"], [[7n, 1n]]);
        await target.createAfterData(schema);
        await target.commit();
      } finally {
        await target.close();
      }
      const types = await sql(db.url, `SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod) || CASE WHEN attnotnull THEN ' not null' ELSE '' END, ', ' ORDER BY attnum) AS t
        FROM pg_attribute WHERE attrelid = 'public.items'::regclass AND attnum > 0`);
      expect(types[0]!.t).toBe("id bigint not null, price double precision, name text, data bytea, misc text, amount numeric(10,2), flag boolean, born date, at timestamp without time zone");
      const rows = await withClient(db.url, tableRows);
      expect(rows["public.items"]).toEqual([
        '(1,1.5,a,"\\\\x0102",5,12.50,t,2020-01-01,"2020-01-01 10:00:00")',
        '(2,-0,"b\tc\\\\",,2.5,2.50,f,,)',
        "(3,NaN,ü,,text,,t,,)",
      ]);
      expect(rows["public.lines"]).toEqual(["(1)"]);
      const constraints = await sql(db.url, "SELECT conname, contype::text AS t FROM pg_constraint WHERE conrelid IN ('public.items'::regclass, 'public.lines'::regclass) ORDER BY 1");
      expect(constraints.map((c) => c.t).sort()).toEqual(["f", "p", "u"]);
    } finally {
      await db.drop();
    }
  });

  it("makes and drops scratch databases and shares a snapshot", async () => {
    const scratch = await postgresDialect.createScratch(parseDatabaseUrl(fixture.url));
    expect(scratch.url.databaseName).toMatch(/^gen_dump_scratch_[0-9a-f]{12}$/);
    const target = await postgresDialect.openTarget({ url: scratch.url });
    expect(await target.inspect()).toEqual({ tables: [], empty: true });
    await target.close();
    await scratch.drop();
    expect(await sql(fixture.url, `SELECT 1 FROM pg_database WHERE datname = '${scratch.url.databaseName}'`)).toEqual([]);

    const first = (await postgresDialect.openSource({ url: parseDatabaseUrl(fixture.url), selection: { tables: ["public.animal"] } })) as import("../../src/dialects/postgres/postgres-source.ts").PostgresSource;
    try {
      const snapshot = await first.exportSnapshot();
      await sql(fixture.url, "INSERT INTO public.animal VALUES (100, 'late')");
      const second = await postgresDialect.openSource({ url: parseDatabaseUrl(fixture.url), selection: { tables: ["public.animal"] }, snapshot } as never);
      try {
        const [animal] = (await second.introspect()).tables;
        const rows: DumpRow[] = [];
        for await (const batch of second.readRows(animal!)) rows.push(...batch);
        expect(rows).toEqual([[1n, "generic"]]);
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
      await sql(fixture.url, "DELETE FROM public.animal WHERE id = 100");
    }
  });
});
