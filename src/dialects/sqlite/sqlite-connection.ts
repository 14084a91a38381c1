import { GenDumpError } from "../../errors.ts";
import type { DatabaseUrl } from "../dialect.ts";

/**
 * The few better-sqlite3 methods the dialect uses, declared here so the rest of the
 * folder depends on this contract rather than on the driver's types.
 * @see https://github.com/WiseLibs/better-sqlite3/blob/master/docs/api.md
 */
export interface SqliteStatement {
  /** Rows as arrays instead of objects. */
  raw(toggle?: boolean): this;
  /** INTEGER values as bigint (all of them, however small). */
  safeIntegers(toggle?: boolean): this;
  /** Only the first column of each row. */
  pluck(toggle?: boolean): this;
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): { readonly changes: number };
  iterate(...params: unknown[]): IterableIterator<unknown>;
}

export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  /** Run statements without results (several allowed). */
  exec(sql: string): void;
  close(): void;
  readonly inTransaction: boolean;
}

interface DriverOptions {
  readonly readonly?: boolean;
  readonly fileMustExist?: boolean;
}

type DriverConstructor = new (path: string, options?: DriverOptions) => SqliteDatabase;

let driver: Promise<DriverConstructor> | undefined;

/** Load better-sqlite3 once, on first use (PostgreSQL users never load it). */
function loadDriver(): Promise<DriverConstructor> {
  driver ??= import("better-sqlite3").then((module) => {
    const loaded = module as unknown as { default?: DriverConstructor };
    return loaded.default ?? (module as unknown as DriverConstructor);
  });
  return driver;
}

/** How to open a file: a dump source is read-only and must exist; a target is created. */
export interface OpenOptions {
  readonly readonly: boolean;
}

/**
 * Open a SQLite file and prove it is a database. Every failure is a CONNECT error naming
 * the path.
 * NOTE: SQLite opens any file lazily and only reads its header on the first statement,
 * so a text file "opens" fine; the query below is what detects "file is not a database".
 * @see https://www.sqlite.org/fileformat.html#the_database_header
 */
export async function openDatabase(url: DatabaseUrl, options: OpenOptions): Promise<SqliteDatabase> {
  const Database = await loadDriver();
  let db: SqliteDatabase | undefined;
  try {
    db = new Database(url.connection, { readonly: options.readonly, fileMustExist: options.readonly });
    db.prepare("SELECT count(*) FROM main.sqlite_master").get();
    return db;
  } catch (error) {
    try {
      db?.close();
    } catch {
      // the original error says more
    }
    const reason = error instanceof Error ? error.message : String(error);
    const hint = options.readonly ? "Check the path given with --db: it must be an existing SQLite database file." : "Check that the path given with --db is a SQLite database file (or a new file) in a writable directory.";
    throw new GenDumpError("CONNECT", `Cannot open the SQLite database ${JSON.stringify(url.display)}: ${reason}. ${hint}`, {}, { cause: error });
  }
}

/** The SQLite library version, e.g. "3.53.2". */
export function sqliteVersion(db: SqliteDatabase): string {
  return String(db.prepare("SELECT sqlite_version()").pluck().get());
}
