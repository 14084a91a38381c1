/**
 * The floors of a dump, for the bench: every row of every table taken out of the database
 * through the drivers gen-dump uses, the way gen-dump takes them, and thrown away. No
 * literal is encoded and nothing is written, so no dump through these drivers can be
 * faster. Run as a user runs gen-dump (tsx, start-up included):
 *   tsx bench/bench-floors.ts sqlite PATH     better-sqlite3, pages of 1000 rows in rowid order, raw and safeIntegers
 *   tsx bench/bench-floors.ts postgres URL    pg and gen-dump's COPY reader (CopyOutQuery), `COPY table TO STDOUT` per table, in one transaction
 * Prints the rows read (SQLite) or bytes received (PostgreSQL) on stderr.
 */
import Database from "better-sqlite3";
import pg from "pg";
import { CopyOutQuery } from "../src/dialects/postgres/postgres-copy-out.ts";
import { qualify } from "../src/dialects/postgres/postgres-sql.ts";
import { quoteIdent } from "../src/dialects/sqlite/sqlite-sql.ts";

const PAGE = 1000;

function sqliteRows(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").pluck().all() as string[];
    let rows = 0;
    db.exec("BEGIN");
    for (const table of tables) {
      const select = `SELECT *, rowid FROM ${quoteIdent(table)}`;
      const first = db.prepare(`${select} ORDER BY rowid LIMIT ${PAGE}`).raw(true).safeIntegers(true);
      const next = db.prepare(`${select} WHERE rowid > ? ORDER BY rowid LIMIT ${PAGE}`).raw(true).safeIntegers(true);
      for (let page = first.all() as unknown[][]; page.length > 0; ) {
        rows += page.length;
        if (page.length < PAGE) break;
        const last = page[page.length - 1]!;
        page = next.all(last[last.length - 1]) as unknown[][];
      }
    }
    db.exec("COMMIT");
    return rows;
  } finally {
    db.close();
  }
}

async function postgresBytes(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const { rows } = await client.query<{ schema: string; name: string }>(
      "SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2",
    );
    let bytes = 0;
    for (const { schema, name } of rows) {
      const runs = client.query(new CopyOutQuery(`COPY ${qualify(schema, name)} TO STDOUT`)).runs();
      for await (const [, start, end] of runs) bytes += end - start;
    }
    await client.query("COMMIT");
    return bytes;
  } finally {
    await client.end();
  }
}

const [engine, target] = process.argv.slice(2);
if (engine === "sqlite" && target !== undefined) process.stderr.write(`${sqliteRows(target)} rows\n`);
else if (engine === "postgres" && target !== undefined) process.stderr.write(`${await postgresBytes(target)} bytes\n`);
else {
  process.stderr.write("usage: tsx bench/bench-floors.ts sqlite PATH | postgres URL\n");
  process.exitCode = 2;
}
