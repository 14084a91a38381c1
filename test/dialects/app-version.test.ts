import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { loadDialect, parseDatabaseUrl } from "../../src/dialects/registry.ts";
import { GenDumpError } from "../../src/errors.ts";
import { createTestDatabase, type TestDatabase } from "../support/postgres-db.ts";
import { tempDir } from "../support/cli.ts";
import { join } from "node:path";

/** One engine under test: make a fresh database from SQL statements, give its --db value. */
interface Engine {
  readonly name: "sqlite" | "postgres";
  /** Where Drizzle puts its table by default. */
  readonly drizzleTable: string;
  /** A view named knex_migrations whose rows fail to compute at query time. */
  readonly failingKnexView: readonly string[];
  fresh(statements: readonly string[]): Promise<string>;
}

const sqliteDir = tempDir("gen-dump-app-version-");
let sqliteCount = 0;
const pgDatabases: TestDatabase[] = [];

const ENGINES: readonly Engine[] = [
  {
    name: "sqlite",
    drizzleTable: "__drizzle_migrations",
    // NOTE: json() raises "malformed JSON" when the row is read, not when the view is made.
    failingKnexView: ["CREATE VIEW knex_migrations AS SELECT 1 AS id, json('not json') AS name"],
    async fresh(statements) {
      const path = join(sqliteDir, `db-${++sqliteCount}.sqlite3`);
      const db = new Database(path);
      try {
        for (const sql of statements) db.exec(sql);
      } finally {
        db.close();
      }
      return path;
    },
  },
  {
    name: "postgres",
    drizzleTable: "drizzle.__drizzle_migrations",
    failingKnexView: ["CREATE TABLE seed (id integer)", "INSERT INTO seed VALUES (1)", "CREATE VIEW knex_migrations AS SELECT id, (1 / (id - id))::text AS name FROM seed"],
    async fresh(statements) {
      const database = await createTestDatabase("app_version");
      pgDatabases.push(database);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        for (const sql of statements) await client.query(sql);
      } finally {
        await client.end();
      }
      return database.url;
    },
  },
];

afterAll(async () => {
  for (const database of pgDatabases) await database.drop();
});

async function detect(db: string): Promise<string | null> {
  const url = parseDatabaseUrl(db);
  const source = await (await loadDialect(url.engine)).openSource({ url });
  try {
    await source.introspect();
    return await source.detectAppVersion!();
  } finally {
    await source.close();
  }
}

const PRISMA_TABLE =
  "CREATE TABLE _prisma_migrations (id VARCHAR(36) PRIMARY KEY, checksum VARCHAR(64) NOT NULL, finished_at TIMESTAMP, migration_name VARCHAR(255) NOT NULL, " +
  "logs TEXT, rolled_back_at TIMESTAMP, started_at TIMESTAMP NOT NULL, applied_steps_count INTEGER NOT NULL DEFAULT 0)";
const prismaRow = (id: string, name: string, finished: string | null, rolledBack: string | null) =>
  `INSERT INTO _prisma_migrations VALUES ('${id}', 'x', ${finished === null ? "NULL" : `'${finished}'`}, '${name}', NULL, ${rolledBack === null ? "NULL" : `'${rolledBack}'`}, '2024-01-01 00:00:00', 1)`;
const KNEX_TABLE = "CREATE TABLE knex_migrations (id INTEGER PRIMARY KEY, name VARCHAR(255), batch INTEGER, migration_time TIMESTAMP)";
const DJANGO_TABLE = "CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app VARCHAR(255) NOT NULL, name VARCHAR(255) NOT NULL, applied TIMESTAMP NOT NULL)";

describe.each(ENGINES)("application version detection on $name", (engine) => {
  it("finds nothing in a database without a migrations record", async () => {
    expect(await detect(await engine.fresh(["CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)"]))).toBeNull();
  });

  it("Prisma: the greatest finished, not rolled back migration_name", async () => {
    const db = await engine.fresh([
      PRISMA_TABLE,
      prismaRow("a", "20240101000000_init", "2024-01-01 00:00:01", null),
      prismaRow("b", "20240201000000_add_orders", "2024-02-01 00:00:01", null),
      prismaRow("c", "20240301000000_failed", null, null),
      prismaRow("d", "20240401000000_undone", "2024-04-01 00:00:01", "2024-04-02 00:00:00"),
    ]);
    expect(await detect(db)).toBe("20240201000000_add_orders");
  });

  it("Knex: the name of the row with the greatest id", async () => {
    const db = await engine.fresh([
      KNEX_TABLE,
      "INSERT INTO knex_migrations VALUES (1, '20240101_init.js', 1, '2024-01-01 00:00:00'), (2, '20240301_zeta.js', 1, '2024-01-01 00:00:00'), (10, '20240201_alpha.js', 2, '2024-02-01 00:00:00')",
      "CREATE TABLE knex_migrations_lock (\"index\" INTEGER PRIMARY KEY, is_locked INTEGER)",
    ]);
    expect(await detect(db)).toBe("20240201_alpha.js");
  });

  it("Drizzle: created_at (the journal's `when`) of the latest migration", async () => {
    const db = await engine.fresh([
      ...(engine.name === "postgres" ? ["CREATE SCHEMA drizzle"] : []),
      `CREATE TABLE ${engine.drizzleTable} (id INTEGER PRIMARY KEY, hash TEXT NOT NULL, created_at BIGINT)`,
      `INSERT INTO ${engine.drizzleTable} VALUES (1, 'h1', 999999999999), (2, 'h2', 1734221536864), (3, 'h3', 1700000000000)`,
    ]);
    expect(await detect(db)).toBe("1734221536864");
  });

  it("Kysely: the latest name by timestamp, then name", async () => {
    const db = await engine.fresh([
      "CREATE TABLE kysely_migration (name VARCHAR(255) PRIMARY KEY, timestamp VARCHAR(255) NOT NULL)",
      "INSERT INTO kysely_migration VALUES ('2024_03_late_name', '2024-01-01T00:00:00.000Z'), ('2024_02_users', '2024-02-01T10:00:00.000Z'), ('2024_01_init', '2024-02-01T10:00:00.000Z')",
    ]);
    expect(await detect(db)).toBe("2024_02_users");
  });

  it("TypeORM: the name of the latest timestamp in a migrations(id, timestamp, name) table", async () => {
    const db = await engine.fresh([
      "CREATE TABLE migrations (id INTEGER PRIMARY KEY, timestamp BIGINT NOT NULL, name VARCHAR(255) NOT NULL)",
      "INSERT INTO migrations VALUES (1, 1600000000000, 'Init1600000000000'), (2, 1700000000000, 'AddUsers1700000000000'), (3, 999999999999, 'Old999999999999')",
    ]);
    expect(await detect(db)).toBe("AddUsers1700000000000");
  });

  it("a migrations table of another shape is not TypeORM's and is skipped", async () => {
    const db = await engine.fresh([
      "CREATE TABLE migrations (id INTEGER PRIMARY KEY, file TEXT, created_at TIMESTAMP)",
      "INSERT INTO migrations VALUES (1, '001.sql', '2024-01-01 00:00:00')",
    ]);
    expect(await detect(db)).toBeNull();
  });

  it("Django: app:name of the last applied migration (greatest id)", async () => {
    const db = await engine.fresh([
      DJANGO_TABLE,
      "INSERT INTO django_migrations VALUES (1, 'contenttypes', '0001_initial', '2024-01-01 00:00:00'), (7, 'shop', '0002_price', '2024-01-02 00:00:00'), (3, 'auth', '0012_alter_user', '2024-01-03 00:00:00')",
    ]);
    expect(await detect(db)).toBe("shop:0002_price");
  });

  it("Rails schema_migrations: the greatest version, numerically", async () => {
    const db = await engine.fresh([
      "CREATE TABLE schema_migrations (version VARCHAR(255) PRIMARY KEY)",
      "INSERT INTO schema_migrations VALUES ('9'), ('10'), ('8')",
    ]);
    expect(await detect(db)).toBe("10");
  });

  it("golang-migrate schema_migrations: the version, marked when dirty", async () => {
    const table = "CREATE TABLE schema_migrations (version BIGINT NOT NULL PRIMARY KEY, dirty BOOLEAN NOT NULL)";
    expect(await detect(await engine.fresh([table, "INSERT INTO schema_migrations VALUES (20240101120000, FALSE)"]))).toBe("20240101120000");
    expect(await detect(await engine.fresh([table, "INSERT INTO schema_migrations VALUES (5, TRUE)"]))).toBe("5-dirty");
  });

  it("follows the precedence order, and passes over a recognised but empty table", async () => {
    const both = await engine.fresh([
      DJANGO_TABLE,
      "INSERT INTO django_migrations VALUES (1, 'auth', '0001_initial', '2024-01-01 00:00:00')",
      KNEX_TABLE,
      "INSERT INTO knex_migrations VALUES (1, 'knex_first.js', 1, '2024-01-01 00:00:00')",
    ]);
    expect(await detect(both)).toBe("knex_first.js");
    const emptyKnex = await engine.fresh([DJANGO_TABLE, "INSERT INTO django_migrations VALUES (1, 'auth', '0001_initial', '2024-01-01 00:00:00')", KNEX_TABLE]);
    expect(await detect(emptyKnex)).toBe("auth:0001_initial");
  });

  it("a table without the tool's columns is skipped, not an error", async () => {
    const db = await engine.fresh([
      "CREATE TABLE _prisma_migrations (id VARCHAR(36) PRIMARY KEY, migration_name VARCHAR(255))",
      "INSERT INTO _prisma_migrations VALUES ('a', '20240101000000_init')",
    ]);
    expect(await detect(db)).toBeNull();
  });

  it("a query failing on a table of the right shape is a READ error naming the table", async () => {
    const error = await detect(await engine.fresh(engine.failingKnexView)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenDumpError);
    expect((error as GenDumpError).code).toBe("READ");
    expect((error as GenDumpError).message).toMatch(/Knex's table (public\.)?knex_migrations/);
    expect((error as GenDumpError).message).toContain("--app-version");
  });
});

describe("application version detection, engine specifics", () => {
  it("SQLite: a nonzero PRAGMA user_version when no migrations table says more", async () => {
    const sqlite = ENGINES[0]!;
    expect(await detect(await sqlite.fresh(["CREATE TABLE t (x)", "PRAGMA user_version = 7"]))).toBe("7");
    expect(await detect(await sqlite.fresh(["CREATE TABLE t (x)", "PRAGMA user_version = 0"]))).toBeNull();
    const withKnex = await sqlite.fresh([KNEX_TABLE, "INSERT INTO knex_migrations VALUES (1, 'k.js', 1, NULL)", "PRAGMA user_version = 7"]);
    expect(await detect(withKnex)).toBe("k.js");
  });

  it("PostgreSQL: Drizzle's own schema first, and a migrations table in any schema", async () => {
    const postgres = ENGINES[1]!;
    const drizzle = await postgres.fresh([
      "CREATE SCHEMA drizzle",
      "CREATE TABLE drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash TEXT NOT NULL, created_at BIGINT)",
      "INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('h', 1700000000001)",
      "CREATE TABLE public.__drizzle_migrations (id SERIAL PRIMARY KEY, hash TEXT NOT NULL, created_at BIGINT)",
      "INSERT INTO public.__drizzle_migrations (hash, created_at) VALUES ('stale', 1800000000000)",
    ]);
    expect(await detect(drizzle)).toBe("1700000000001");
    const elsewhere = await postgres.fresh([
      "CREATE SCHEMA app",
      PRISMA_TABLE.replace("_prisma_migrations", "app._prisma_migrations"),
      prismaRow("a", "20240101000000_init", "2024-01-01 00:00:01", null).replace("_prisma_migrations", "app._prisma_migrations"),
    ]);
    expect(await detect(elsewhere)).toBe("20240101000000_init");
  });
});
