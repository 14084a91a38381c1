import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { databaseError } from "../../errors.ts";
import type { DatabaseSchema, TableSchema } from "../../model/schema-model.ts";
import type { DumpRow } from "../../model/values.ts";
import type { DatabaseUrl, Dialect, ScratchDatabase, SourceConnection, SourceInfo, SourceOptions, TargetOptions } from "../dialect.ts";
import { type SqliteDatabase, openDatabase, sqliteVersion } from "./sqlite-connection.ts";
import { introspectDatabase } from "./sqlite-introspector.ts";
import { readTableRows } from "./sqlite-reader.ts";
import { quoteIdent } from "./sqlite-sql.ts";
import { SqliteTarget } from "./sqlite-writer.ts";

/**
 * SQLite: a dump source is opened read-only inside one read transaction held until
 * `close`, so every table is read from the same snapshot even while another process
 * writes (in WAL mode it writes on; in rollback-journal mode it waits for us).
 * NOTE: the transaction's snapshot starts with its first read, not with BEGIN.
 * https://www.sqlite.org/isolation.html
 */
export const sqliteDialect: Dialect = {
  engine: "sqlite",

  async openSource(options: SourceOptions): Promise<SourceConnection> {
    const db = await openDatabase(options.url, { readonly: true });
    try {
      db.exec("BEGIN");
      db.prepare("SELECT count(*) FROM main.sqlite_master").get();
    } catch (error) {
      db.close();
      throw databaseError("CONNECT", `Cannot start reading the SQLite database ${JSON.stringify(options.url.display)}`, error);
    }
    return new SqliteSource(db, { engine: "sqlite", databaseName: options.url.databaseName, serverVersion: sqliteVersion(db) });
  },

  async openTarget(options: TargetOptions) {
    return new SqliteTarget(await openDatabase(options.url, { readonly: false }));
  },

  async createScratch(url: DatabaseUrl): Promise<ScratchDatabase> {
    const path = join(tmpdir(), `gen-dump-scratch-${process.pid}-${randomBytes(6).toString("hex")}.sqlite3`);
    return {
      url: { engine: "sqlite", connection: path, display: path, databaseName: basename(url.connection) },
      async drop() {
        for (const suffix of ["", "-wal", "-shm", "-journal"]) await rm(`${path}${suffix}`, { force: true });
      },
    };
  },
};

class SqliteSource implements SourceConnection {
  readonly #utf8: boolean;

  constructor(
    private readonly db: SqliteDatabase,
    readonly info: SourceInfo,
  ) {
    this.#utf8 = String(db.prepare("PRAGMA main.encoding").pluck().get()) === "UTF-8";
  }

  async introspect(): Promise<DatabaseSchema> {
    return introspectDatabase(this.db);
  }

  readRows(table: TableSchema, options?: { readonly batchSize?: number }): AsyncIterable<DumpRow[]> {
    return readTableRows(this.db, table, { batchSize: options?.batchSize, utf8: this.#utf8 });
  }

  async estimateRows(table: TableSchema): Promise<number> {
    return Number(this.db.prepare(`SELECT count(*) FROM ${quoteIdent(table.name)}`).pluck().get());
  }

  async close(): Promise<void> {
    try {
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
    } finally {
      this.db.close();
    }
  }
}
