import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { dump } from "../../src/dump/dump.ts";
import { tempDir } from "../support/cli.ts";
import { createTestDatabase } from "../support/postgres-db.ts";

/** A database of one engine, for the migration tests: run SQL, read rows, list tables. */
export interface EngineDb {
  readonly url: string;
  exec(sql: string): Promise<void>;
  rows(sql: string): Promise<Record<string, unknown>[]>;
  tables(): Promise<string[]>;
  drop(): Promise<void>;
}

export interface Engine {
  readonly name: "sqlite" | "postgres";
  create(label: string): Promise<EngineDb>;
}

function sqliteDb(path: string): EngineDb {
  const open = <T>(fn: (db: Database.Database) => T): T => {
    const db = new Database(path);
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  return {
    url: path,
    exec: async (sql) => open((db) => void db.exec(sql)),
    rows: async (sql) => open((db) => db.prepare(sql).all() as Record<string, unknown>[]),
    tables: async () => open((db) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]),
    drop: async () => undefined,
  };
}

async function postgresDb(label: string): Promise<EngineDb> {
  const database = await createTestDatabase(label);
  const withClient = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  return {
    url: database.url,
    exec: (sql) => withClient(async (c) => void (await c.query(sql))),
    rows: (sql) => withClient(async (c) => (await c.query(sql)).rows as Record<string, unknown>[]),
    tables: () =>
      withClient(async (c) => (await c.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).rows.map((r) => r.tablename as string)),
    drop: () => database.drop(),
  };
}

/** The engines every migration test runs on. */
export const ENGINES: readonly Engine[] = [
  { name: "sqlite", create: async (label) => sqliteDb(join(tempDir(`gen-dump-migrate-${label}-`), "db.sqlite3")) },
  { name: "postgres", create: (label) => postgresDb(label) },
];

/**
 * The application at version 1: customers with an inline address, their orders, and a
 * legacy table. Integer columns are `integer` on both engines (plain JS numbers when read).
 */
export const V1_SCHEMA = `
CREATE TABLE customer (id integer PRIMARY KEY, nm text NOT NULL, street text, city text, vip integer NOT NULL DEFAULT 0);
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer NOT NULL REFERENCES customer (id), amount integer NOT NULL);
CREATE TABLE legacy (id integer PRIMARY KEY, note text);
INSERT INTO customer (id, nm, street, city, vip) VALUES (1, 'Ada', '1 High St', 'London', 1), (2, 'Alan', NULL, NULL, 0), (3, 'Grace', '2 Navy Way', 'Arlington', 1);
INSERT INTO orders (id, customer_id, amount) VALUES (10, 1, 1250), (11, 1, 99), (12, 3, 40000);
INSERT INTO legacy (id, note) VALUES (1, 'old'), (2, 'older');
`;

/** Create the v1 source on `engine` and dump it at application version "1". */
export async function dumpV1(engine: Engine, appVersion = "1"): Promise<{ dir: string; source: EngineDb }> {
  const source = await engine.create(`${engine.name}_src`);
  await source.exec(V1_SCHEMA);
  const dir = join(tempDir("gen-dump-migrate-dump-"), "dump");
  await dump({ db: source.url, outputDir: dir, appVersion });
  return { dir, source };
}

/**
 * Write a migrations module (plain JavaScript, so the test needs no loader) whose body
 * is `source`, an expression of the `{ versions, steps }` object.
 */
export function migrationsModule(source: string): string {
  const path = join(tempDir("gen-dump-migrations-"), "migrations.mjs");
  writeFileSync(path, `export default ${source};\n`);
  return path;
}
