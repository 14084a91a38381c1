import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunResult, genDump, readTree, tempDir, tsxRestore } from "../support/cli.ts";
import { type TestDatabase, createTestDatabase, testAdminUrl } from "../support/postgres-db.ts";
import { catalogFacts, tableRows, withClient } from "./postgres-compare.ts";
import { POSTGRES_FIXTURE_SCRIPTS } from "./postgres-fixture.ts";

/**
 * PostgreSQL through the real binaries (`gen-dump`, then `tsx DUMP/restore.ts`) as a user
 * runs them: round trips under several client and server time zones, a dump taken while
 * an application writes, the error paths and the selection options.
 */

async function sql(url: string, text: string): Promise<pg.QueryResultRow[]> {
  return withClient(url, async (c) => (await c.query(text)).rows);
}

/** The fixture database, with per-database server settings applied before it is filled. */
async function makeFixture(prefix: string, settings: Record<string, string> = {}): Promise<TestDatabase> {
  const db = await createTestDatabase(prefix);
  for (const [name, value] of Object.entries(settings)) await sql(testAdminUrl(), `ALTER DATABASE "${db.name}" SET ${name} = '${value}'`);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    for (const script of POSTGRES_FIXTURE_SCRIPTS) await client.query(script);
  } finally {
    await client.end();
  }
  return db;
}

function ok(result: RunResult): RunResult {
  expect(result.code, result.stderr).toBe(0);
  return result;
}

/** One paragraph: a message, no stack trace. */
function expectOneParagraph(stderr: string): void {
  expect(stderr.trim()).not.toBe("");
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr.trim().split("\n").length).toBeLessThanOrEqual(2);
}

/** `nextval` of every sequence, by name (consumes one value each). */
async function nextvals(url: string): Promise<string[]> {
  const rows = await sql(url, "SELECT s.seqrelid::regclass::text || '=' || nextval(s.seqrelid) AS v FROM pg_sequence s ORDER BY 1");
  return rows.map((r) => r.v as string);
}

function filesUnder(dir: string): string[] {
  return Object.keys(readTree(dir));
}

const ZONES: readonly { client: string; server: Record<string, string>; pgoptions: string }[] = [
  { client: "UTC", server: { TimeZone: "UTC" }, pgoptions: "" },
  {
    client: "America/St_Johns",
    server: { TimeZone: "Pacific/Chatham", DateStyle: "SQL, DMY", IntervalStyle: "iso_8601", extra_float_digits: "0", bytea_output: "escape" },
    pgoptions: "-c TimeZone=Asia/Kathmandu -c DateStyle=German -c extra_float_digits=-2",
  },
];

describe.each(ZONES)("gen-dump CLI round trip on PostgreSQL (client TZ $client, server $server.TimeZone)", ({ client, server, pgoptions }) => {
  let source: TestDatabase;
  let restored: TestDatabase | undefined;
  beforeAll(async () => {
    source = await makeFixture("pg_cli_rt", server);
  });
  afterAll(async () => {
    await source?.drop();
    await restored?.drop();
  });

  it("dump → restore into a fresh database of the same name → dump: identical files, equal data and catalogs", async () => {
    const env = { TZ: client, PGOPTIONS: pgoptions };
    const dir = tempDir();
    const a = join(dir, "a");
    const b = join(dir, "b");
    ok(await genDump(["--db", source.url, a], { env }));
    await sql(source.url, "DROP TYPE public.unused_enum");
    const [rows, facts] = await Promise.all([withClient(source.url, tableRows), withClient(source.url, catalogFacts)]);
    const sequences = await nextvals(source.url);
    // The dump records the database name: restore into a database of the same name, so the
    // second dump can be compared byte for byte.
    const admin = testAdminUrl();
    const oldName = `${source.name}_old`;
    await sql(admin, `ALTER DATABASE "${source.name}" RENAME TO "${oldName}"`);
    const renamed = new URL(source.url);
    renamed.pathname = `/${oldName}`;
    const original = source;
    source = { ...original, url: renamed.href, name: oldName, drop: () => sql(admin, `DROP DATABASE IF EXISTS "${oldName}" WITH (FORCE)`).then(() => undefined) };
    await sql(admin, `CREATE DATABASE "${original.name}"`);
    restored = { ...original, drop: () => sql(admin, `DROP DATABASE IF EXISTS "${original.name}" WITH (FORCE)`).then(() => undefined) };
    for (const [name, value] of Object.entries(server)) await sql(admin, `ALTER DATABASE "${original.name}" SET ${name} = '${value}'`);
    ok(await tsxRestore(a, ["--db", original.url], { env }));
    ok(await genDump(["--db", original.url, b], { env }));
    expect(readTree(b)).toEqual(readTree(a));
    expect(await withClient(original.url, tableRows)).toEqual(rows);
    expect(await withClient(original.url, catalogFacts)).toEqual(facts);
    const restoredSequences = await nextvals(original.url);
    expect(restoredSequences).toEqual(sequences);
    expect(restoredSequences).toContain("public.serial_t_id_seq=51");
    expect(restoredSequences).toContain("public.ident_always_id_seq=115");
    expect(restoredSequences).toContain("public.ident_default_id_seq=2");
  });
});

describe("gen-dump CLI on PostgreSQL: consistency, errors and options", () => {
  let fixture: TestDatabase;
  let dir: string;
  let dumpDir: string;
  beforeAll(async () => {
    fixture = await makeFixture("pg_cli");
    dir = tempDir();
    dumpDir = join(dir, "fixture");
    ok(await genDump(["--db", fixture.url, dumpDir]));
  });
  afterAll(async () => {
    await fixture?.drop();
  });

  it("dumps one snapshot while a writer moves amounts between accounts: the dumped total is the invariant", async () => {
    const db = await createTestDatabase("pg_live");
    const accounts = 20_000;
    try {
      await sql(db.url, `CREATE TABLE public.checking (id integer PRIMARY KEY, balance bigint NOT NULL);
        CREATE TABLE public.savings (id integer PRIMARY KEY, balance bigint NOT NULL);
        CREATE TABLE public.transfers (id bigserial PRIMARY KEY, from_id integer NOT NULL, to_id integer NOT NULL, amount bigint NOT NULL);
        INSERT INTO public.checking SELECT g, 1000 FROM generate_series(1, ${accounts}) g;
        INSERT INTO public.savings SELECT g, 1000 FROM generate_series(1, ${accounts}) g;`);
      const writer = new pg.Client({ connectionString: db.url });
      await writer.connect();
      let committed = 0;
      let stop = false;
      const writing = (async () => {
        for (let n = 1; !stop; n++) {
          const from = (n * 7919) % accounts + 1;
          const to = (n * 104729) % accounts + 1;
          const amount = (n % 97) + 1;
          // Checking is read first, savings later, transfers last: without one snapshot a
          // transfer committed in between would be counted on one side only.
          await writer.query("BEGIN");
          await writer.query("UPDATE public.checking SET balance = balance - $2 WHERE id = $1", [from, amount]);
          await writer.query("UPDATE public.savings SET balance = balance + $2 WHERE id = $1", [to, amount]);
          await writer.query("INSERT INTO public.transfers (from_id, to_id, amount) VALUES ($1, $2, $3)", [from, to, amount]);
          await writer.query("COMMIT");
          committed = n;
        }
      })();
      try {
        // One connection, then three (--jobs 3: worker connections join the exported snapshot).
        for (const [name, jobs] of [["live", []], ["live-jobs", ["--jobs", "3"]]] as const) {
          while (committed < 50) await new Promise((r) => setTimeout(r, 10));
          const before = committed;
          const out = join(dir, name);
          ok(await genDump(["--db", db.url, ...jobs, out]));
          const after = committed;
          while (committed < after + 50) await new Promise((r) => setTimeout(r, 10));
          const target = await createTestDatabase("pg_live_dst");
          try {
            ok(await tsxRestore(out, ["--db", target.url]));
            const [totals] = await sql(target.url, `SELECT
              (SELECT sum(balance) FROM public.checking)::text AS checking, (SELECT sum(balance) FROM public.savings)::text AS savings,
              (SELECT coalesce(sum(amount), 0) FROM public.transfers)::text AS moved, (SELECT count(*) FROM public.transfers)::int AS n`);
            expect(BigInt(totals!.checking) + BigInt(totals!.savings), name).toBe(BigInt(2 * accounts * 1000));
            expect(BigInt(totals!.checking), name).toBe(BigInt(accounts * 1000) - BigInt(totals!.moved));
            // Every transfer committed before the dump started is in it, and some committed
            // while it ran are not (so the test did exercise concurrency).
            expect(totals!.n, name).toBeGreaterThanOrEqual(before);
            expect(totals!.n, name).toBeLessThan(after);
          } finally {
            await target.drop();
          }
        }
        stop = true;
        await writing;
      } finally {
        stop = true;
        await writing.catch(() => undefined);
        await writer.end();
      }
    } finally {
      await db.drop();
    }
  });

  it("reports an unreachable server and a wrong password in one paragraph, never printing the password, and writes nothing", async () => {
    const out = join(dir, "never");
    const unreachable = await genDump(["--db", "postgres://someone:topsecret-1@127.0.0.1:1/db", out]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain("Cannot connect to PostgreSQL at postgres://someone:*****@127.0.0.1:1/db");
    expect(unreachable.stderr).not.toContain("topsecret-1");
    expectOneParagraph(unreachable.stderr);
    const wrong = new URL(fixture.url);
    wrong.password = "not-the-password-42";
    const denied = await genDump(["--db", wrong.href, out]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain("password authentication failed");
    expect(denied.stderr).not.toContain("not-the-password-42");
    expectOneParagraph(denied.stderr);
    const restoreDenied = await tsxRestore(dumpDir, ["--db", wrong.href]);
    expect(restoreDenied.code).toBe(1);
    expect(restoreDenied.stderr).toContain("password authentication failed");
    expect(restoreDenied.stderr).not.toContain("not-the-password-42");
    expectOneParagraph(restoreDenied.stderr);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes("tmp"))).toEqual([]);
  });

  it("names the one table a role may not read; --tolerate dumps the rest, lists it and exits 1", async () => {
    const db = await createTestDatabase("pg_cli_priv");
    const role = `reader_${db.name.slice(-10)}`;
    try {
      await sql(db.url, `CREATE ROLE ${role} LOGIN PASSWORD 'pw-secret-7';
        CREATE TABLE public.open_t (id serial PRIMARY KEY, v text); CREATE TABLE public.secret_t (id integer PRIMARY KEY);
        INSERT INTO public.open_t (v) VALUES ('a'), ('b'); INSERT INTO public.secret_t VALUES (1);
        GRANT USAGE ON SCHEMA public TO ${role}; GRANT SELECT ON public.open_t TO ${role};`);
      const url = new URL(db.url);
      url.username = role;
      url.password = "pw-secret-7";
      const strict = join(dir, "strict");
      const failed = await genDump(["--db", url.href, strict]);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain("public.secret_t");
      expect(failed.stderr).toContain("permission denied");
      expect(failed.stderr).toContain("--exclude-table");
      expectOneParagraph(failed.stderr);
      expect(existsSync(strict)).toBe(false);
      const tolerant = join(dir, "tolerant");
      const partial = await genDump(["--db", url.href, "--tolerate", tolerant]);
      expect(partial.code).toBe(1);
      expect(partial.stderr).toContain("1 table(s) could not be read");
      expect(partial.stderr).toContain("public.secret_t");
      expect(readFileSync(join(tolerant, "restore.ts"), "utf8")).toMatch(/failedTables: \[\s*"public\.secret_t",?\s*\]/);
      expect(readFileSync(join(tolerant, "data", "public.open_t.ts"), "utf8")).toContain('[1, "a"],');
      expect(filesUnder(tolerant).filter((f) => f.startsWith("data/"))).toEqual(["data/public.open_t.ts"]);
    } finally {
      await db.drop();
      await sql(testAdminUrl(), `DROP ROLE IF EXISTS ${role}`);
    }
  });

  it("asks before replacing a non-empty target; `no` changes nothing, --noinput replaces without mixing rows", async () => {
    const db = await createTestDatabase("pg_cli_target");
    try {
      await sql(db.url, `CREATE TABLE public.checked (id integer PRIMARY KEY, stale text); INSERT INTO public.checked VALUES (99, 'stale');
        CREATE TABLE public.animal (id integer PRIMARY KEY, name text); INSERT INTO public.animal VALUES (1, 'old'), (500, 'old')`);
      const before = await withClient(db.url, tableRows);
      const no = await tsxRestore(dumpDir, ["--db", db.url], { input: "no\n" });
      expect(no.code).toBe(1);
      expect(no.stderr).toContain("is not empty");
      expect(no.stderr).toContain("Nothing was changed");
      expect(no.stderr).toContain("--noinput");
      expect(await withClient(db.url, tableRows)).toEqual(before);
      ok(await tsxRestore(dumpDir, ["--db", db.url, "--noinput"]));
      const rows = await withClient(db.url, tableRows);
      expect(rows["public.checked"]).toEqual(["(1,5)", "(2,20)"]);
      expect(rows["public.animal"]).toEqual(["(1,generic)"]);
    } finally {
      await db.drop();
    }
  });

  it("rolls back a constraint failure in the middle of the load: the target is unchanged, the error names file and line", async () => {
    const db = await createTestDatabase("pg_cli_fail");
    const broken = join(dir, "broken");
    try {
      cpSync(dumpDir, broken, { recursive: true });
      ok(await tsxRestore(broken, ["--db", db.url]));
      const [rows, facts] = await Promise.all([withClient(db.url, tableRows), withClient(db.url, catalogFacts)]);
      // A CHECK violation in public.checked, a table loaded after several others: COPY
      // names the row, restore.ts the module line.
      const file = join(broken, "data", "public.checked.ts");
      const text = readFileSync(file, "utf8");
      const line = text.split("\n").indexOf("[2, 20],") + 1;
      writeFileSync(file, text.replace("[2, 20],", "[2, -20],"));
      const check = await tsxRestore(broken, ["--db", db.url, "--noinput"]);
      expect(check.code).toBe(1);
      expect(check.stderr).toContain(`data/public.checked.ts:${line}: Loading table public.checked failed at row 1`);
      expect(check.stderr).toContain('"v positive"');
      expectOneParagraph(check.stderr);
      expect(await withClient(db.url, tableRows)).toEqual(rows);
      // A duplicate primary key only shows when the key is added after the load: the
      // message names the table, the constraint and the key.
      writeFileSync(file, text.replace("[2, 20],", "[1, 20],"));
      const duplicate = await tsxRestore(broken, ["--db", db.url, "--noinput"]);
      expect(duplicate.code).toBe(1);
      expect(duplicate.stderr).toContain("public.checked");
      expect(duplicate.stderr).toContain('"checked_pkey"');
      expect(duplicate.stderr).toContain("Key (id)=(1) is duplicated.");
      expectOneParagraph(duplicate.stderr);
      expect(await withClient(db.url, tableRows)).toEqual(rows);
      expect(await withClient(db.url, catalogFacts)).toEqual(facts);
    } finally {
      await db.drop();
    }
  });

  it("selects with --schema/--exclude-schema, --table/--exclude-table and --exclude-table-data patterns", async () => {
    const tablesOf = (out: string) => {
      const text = readFileSync(join(out, "restore.ts"), "utf8");
      return [...text.matchAll(/^\s+table: "(.*)",$/gm)].map((m) => m[1]!).sort();
    };
    const schemaTablesOf = (out: string) => {
      const text = readFileSync(join(out, "schema.ts"), "utf8");
      return [...text.matchAll(/^\s+key: "(.*)",$/gm)].map((m) => m[1]!);
    };
    const odd = join(dir, "odd");
    ok(await genDump(["--db", fixture.url, "--schema", '"Odd ""Sch"".ü"', odd]));
    expect(tablesOf(odd)).toEqual(["-4f-dd-20--22--53-ch-22--2e--fc-.-54-a-2e-ble-20--22--51--22--20--dc-"]);
    const noOdd = join(dir, "no-odd");
    ok(await genDump(["--db", fixture.url, "--exclude-schema", "Odd*", "-t", "public.*_t", "-T", "public.serial_?", noOdd]));
    expect(tablesOf(noOdd)).toEqual(["public.child_t", "public.parent_t"]);
    const quoted = join(dir, "quoted");
    ok(await genDump(["--db", fixture.url, "--table", '"User"', "--table", "public.NOCOLS", "--exclude-table-data", "public.user", quoted]));
    expect(tablesOf(quoted)).toEqual(["public.-55-ser", "public.nocols"]);
    const noData = join(dir, "no-data");
    ok(await genDump(["--db", fixture.url, "-t", "public.checked", "-t", "public.animal", "--exclude-table-data", "public.check*", noData]));
    expect(tablesOf(noData)).toEqual(["public.animal", "public.checked"]);
    expect(filesUnder(noData).filter((f) => f.startsWith("data/"))).toEqual(["data/public.animal.ts", "data/public.checked.ts"]);
    expect(readFileSync(join(noData, "data", "public.checked.ts"), "utf8")).not.toContain("[1, 5]");
    expect(schemaTablesOf(noData)).toEqual(["public.animal", "public.checked"]);
    const db = await createTestDatabase("pg_cli_nodata");
    try {
      ok(await tsxRestore(noData, ["--db", db.url]));
      const rows = await withClient(db.url, tableRows);
      expect(rows["public.checked"]).toEqual([]);
      expect(rows["public.animal"]).toEqual(["(1,generic)"]);
      expect(await sql(db.url, "SELECT conname FROM pg_constraint WHERE conname = 'v_small' AND NOT convalidated")).toHaveLength(1);
    } finally {
      await db.drop();
    }
    const bad = await genDump(["--db", fixture.url, "-t", "a.b.c", join(dir, "bad")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"a.b.c"');
  });

  it("takes the database from DATABASE_URL or the PG* variables, records server version and name, never the password", async () => {
    const url = new URL(fixture.url);
    const password = decodeURIComponent(url.password);
    const fromEnv = join(dir, "from-env");
    ok(await genDump(["-t", "public.animal", fromEnv], { env: { DATABASE_URL: fixture.url } }));
    const fromPg = join(dir, "from-pg");
    // Only PG* variables, no --db and no DATABASE_URL, as with psql and pg_dump.
    ok(await genDump(["-t", "public.animal", fromPg], {
      env: { PGHOST: url.hostname, PGPORT: url.port, PGUSER: decodeURIComponent(url.username), PGPASSWORD: password, PGDATABASE: fixture.name },
    }));
    const [version] = await sql(fixture.url, "SELECT current_setting('server_version') AS v");
    for (const out of [fromEnv, fromPg, dumpDir]) {
      const restore = readFileSync(join(out, "restore.ts"), "utf8");
      expect(restore).toContain(`database: ${JSON.stringify(fixture.name)}`);
      expect(restore).toContain(`serverVersion: ${JSON.stringify(version!.v)}`);
      for (const [file, text] of Object.entries(readTree(out))) {
        expect(text.includes(password), `${file} holds the password`).toBe(false);
        expect(text.includes(url.host), `${file} holds the server address`).toBe(false);
      }
    }
    expect(readTree(fromPg)).toEqual(readTree(fromEnv));
  });
});
