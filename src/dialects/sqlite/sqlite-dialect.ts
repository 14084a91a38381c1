import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { databaseError } from "../../errors.ts";
import type { DatabaseSchema, TableSchema } from "../../model/schema-model.ts";
import type { DumpRow } from "../../model/values.ts";
import type { DatabaseUrl, Dialect, ReadRowsOptions, ScratchDatabase, SourceConnection, SourceInfo, SourceOptions, TableSelection, TargetOptions } from "../dialect.ts";
import { detectSqliteAppVersion } from "./sqlite-app-version.ts";
import { type SqliteDatabase, openDatabase, sqliteVersion } from "./sqlite-connection.ts";
import { introspectDatabase } from "./sqlite-introspector.ts";
import { sqliteKeySplits } from "./sqlite-key-ranges.ts";
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
    return new SqliteSource(db, { engine: "sqlite", databaseName: options.url.databaseName, serverVersion: sqliteVersion(db) }, options.selection);
  },

  async openTarget(options: TargetOptions) {
    const path = options.url.connection;
    const isNew = path !== ":memory:" && !existsSync(path);
    const db = await openDatabase(options.url, { readonly: false });
    return isNew ? new NewFileTarget(db, path) : new SqliteTarget(db);
  },

  async createScratch(url: DatabaseUrl): Promise<ScratchDatabase> {
    const path = join(tmpdir(), `gen-dump-scratch-${process.pid}-${randomBytes(6).toString("hex")}.sqlite3`);
    return {
      url: { engine: "sqlite", connection: path, display: path, databaseName: basename(url.connection) },
      drop: () => removeDatabaseFiles(path),
    };
  },
};

/**
 * A target file the restore created: unless the restore commits (a failure, a
 * --simulate, a `no`), the file is removed again, so the target is left as it was:
 * absent, not an empty database.
 */
class NewFileTarget extends SqliteTarget {
  #committed = false;

  constructor(
    db: SqliteDatabase,
    private readonly path: string,
  ) {
    super(db);
  }

  override async commit(): Promise<void> {
    await super.commit();
    this.#committed = true;
  }

  override async close(): Promise<void> {
    try {
      await super.close();
    } finally {
      if (!this.#committed) await removeDatabaseFiles(this.path);
    }
  }
}

async function removeDatabaseFiles(path: string): Promise<void> {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) await rm(`${path}${suffix}`, { force: true });
}

class SqliteSource implements SourceConnection {
  readonly #utf8: boolean;

  constructor(
    private readonly db: SqliteDatabase,
    readonly info: SourceInfo,
    private readonly selection?: TableSelection,
  ) {
    this.#utf8 = String(db.prepare("PRAGMA main.encoding").pluck().get()) === "UTF-8";
  }

  async introspect(): Promise<DatabaseSchema> {
    return introspectDatabase(this.db, this.selection);
  }

  readRows(table: TableSchema, options?: ReadRowsOptions): AsyncIterable<DumpRow[]> {
    return readTableRows(this.db, table, { batchSize: options?.batchSize, range: options?.range, utf8: this.#utf8 });
  }

  async keySplits(table: TableSchema, count: number): Promise<bigint[] | null> {
    return sqliteKeySplits(this.db, table, count);
  }

  async estimateRows(table: TableSchema): Promise<number> {
    return Number(this.db.prepare(`SELECT count(*) FROM ${quoteIdent(table.name)}`).pluck().get());
  }

  detectAppVersion(): Promise<string | null> {
    return detectSqliteAppVersion(this.db);
  }

  /**
   * NOTE: in rollback-journal mode this source's read transaction holds a SHARED lock and
   * no writer can commit until it ends, so a connection opened meanwhile (a parallel
   * reader) reads the very same state. In WAL mode writers commit on and a new connection
   * would see a later snapshot (better-sqlite3 does not expose sqlite3_snapshot_open), so
   * nothing is shared and the dump reads through this one connection; likewise a
   * database without a file.
   * @see https://www.sqlite.org/lockingv3.html
   */
  async shareSnapshot(): Promise<string | null> {
    const mode = String(this.db.prepare("PRAGMA main.journal_mode").pluck().get()).toLowerCase();
    const file = String(this.db.prepare("SELECT file FROM pragma_database_list WHERE name = 'main'").pluck().get() ?? "");
    return mode === "wal" || file === "" ? null : "sqlite-shared-lock";
  }

  async close(): Promise<void> {
    try {
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
    } finally {
      this.db.close();
    }
  }
}
