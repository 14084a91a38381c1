import type { LineTranscoder } from "../encoding/canonical-row.ts";
import type { DatabaseSchema, EngineName, TableSchema } from "../model/schema-model.ts";
import type { DumpRow, ValueKind } from "../model/values.ts";

/**
 * The one contract between gen-dump and a database engine. Each engine lives in its own
 * folder (`src/dialects/<engine>/`) with the same role-named files, and is the only code
 * that imports its driver (lazily, so a SQLite user never loads `pg`).
 */
export interface Dialect {
  readonly engine: EngineName;
  /** Open a database to dump it: everything read through it sees one snapshot. */
  openSource(options: SourceOptions): Promise<SourceConnection>;
  /** Open a database to restore into. */
  openTarget(options: TargetOptions): Promise<TargetConnection>;
  /**
   * Make an empty scratch database next to `url` (a temporary SQLite file, a temporary
   * PostgreSQL database) for the Double Dump Test; `drop` removes it again.
   */
  createScratch(url: DatabaseUrl): Promise<ScratchDatabase>;
}

/** A parsed `--db` value. `display` never holds a password. */
export interface DatabaseUrl {
  readonly engine: EngineName;
  /** What the driver needs: a file path for SQLite, a connection string for PostgreSQL. */
  readonly connection: string;
  /** For messages: the path, or the URL with the password masked. */
  readonly display: string;
  /** The database name recorded in the dump: file base name, or PostgreSQL database. */
  readonly databaseName: string;
}

export interface SourceOptions {
  readonly url: DatabaseUrl;
  /** Which tables to dump; everything when empty. */
  readonly selection?: TableSelection;
  /** Read the snapshot another source shared (`SourceConnection.shareSnapshot`), for parallel readers. */
  readonly snapshot?: string;
}

/** pg_dump-style selection. Patterns use pg_dump's syntax (`*`, `?`, quoted names). */
export interface TableSelection {
  readonly schemas?: readonly string[];
  readonly excludeSchemas?: readonly string[];
  readonly tables?: readonly string[];
  readonly excludeTables?: readonly string[];
  /** Tables whose definition is dumped but not their rows. */
  readonly excludeTableData?: readonly string[];
}

/** Facts about the source recorded in `restore.ts`. Never credentials. */
export interface SourceInfo {
  readonly engine: EngineName;
  readonly databaseName: string;
  readonly serverVersion: string;
}

/**
 * Part of a table's rows by their key (see `SourceConnection.keySplits`): `from` <= key
 * < `to`, a null bound being open. Ranges built from the same splits cover every row once.
 */
export interface KeyRange {
  readonly from: bigint | null;
  readonly to: bigint | null;
}

export interface ReadRowsOptions {
  readonly batchSize?: number;
  /** Only the rows of this key range (a table `keySplits` split), still in `orderBy` order. */
  readonly range?: KeyRange;
}

/**
 * A batch of rows as the data module's row lines: each line is exactly
 * `encodeRow(row, kinds) + "\n"` in UTF-8. The arrays and `bytes` belong to the reader and
 * are valid only until the next batch is asked for.
 */
export interface EncodedRows {
  readonly rows: number;
  /** The lines, back to back; `bytes.subarray(0, lineEnds[rows - 1])` is the whole batch. */
  readonly bytes: Buffer;
  /** Offset just past the "\n" of each row's line. */
  readonly lineEnds: ArrayLike<number>;
  /**
   * Where the literals of the requested key columns are: row r's k-th key literal is
   * `bytes[keySpans[2 * (r * keys + k)], keySpans[2 * (r * keys + k) + 1])`.
   */
  readonly keySpans: ArrayLike<number>;
}

/** A read-only view of one snapshot of a database. */
export interface SourceConnection {
  readonly info: SourceInfo;
  /** Introspect the selected tables and everything they use, in the snapshot. */
  introspect(): Promise<DatabaseSchema>;
  /**
   * Stream a table's rows in `dataColumns(table)` order, sorted by `table.orderBy`,
   * in batches. Values follow the neutral value model (`DumpValue`).
   */
  readRows(table: TableSchema, options?: ReadRowsOptions): AsyncIterable<DumpRow[]>;
  /**
   * The rows `readRows` gives, already as the data module's row lines (optional: for an
   * engine that sends its rows as text, encoding that text directly skips building a
   * JavaScript value per field). `keyColumns`: the data columns whose literals
   * `EncodedRows.keySpans` locates, in that order.
   */
  readEncodedRows?(table: TableSchema, keyColumns: readonly number[], options?: ReadRowsOptions): AsyncIterable<EncodedRows>;
  /** The engine's cheap estimate of a table's row count, for progress bars. */
  estimateRows(table: TableSchema): Promise<number>;
  /**
   * Values of the table's key that split its rows, in this snapshot, into `count` ranges
   * of about equal size (fewer when there are few distinct keys): ascending, distinct,
   * at most `count - 1`. Null when the rows cannot be read by range: the table's
   * `orderBy` is not one integer column with distinct values (SQLite: rowid or INTEGER
   * PRIMARY KEY; PostgreSQL: a one-column primary key of an integer type). For
   * `--jobs`, which reads the ranges of one big table in parallel.
   */
  keySplits?(table: TableSchema, count: number): Promise<readonly bigint[] | null>;
  /**
   * A token with which other sources (`openSource({ snapshot })`, in other threads) read
   * exactly this source's snapshot while it stays open; null when this database cannot
   * share one (then a dump reads every table through this source alone).
   */
  shareSnapshot?(): Promise<string | null>;
  /** Application version recorded in a migrations table, if the database has one. */
  detectAppVersion?(): Promise<string | null>;
  close(): Promise<void>;
}

export interface TargetOptions {
  readonly url: DatabaseUrl;
}

/** What is already in a target before a restore. */
export interface TargetState {
  /** User tables that exist, with their row counts. */
  readonly tables: readonly { readonly schema: string | null; readonly name: string; readonly rows: number }[];
  /** Whether any user object (table, view, type, sequence...) exists at all. */
  readonly empty: boolean;
}

/**
 * A target database inside one transaction. The restore runtime calls, in order:
 * `inspect` → `begin` → (`clear`) → `createBeforeData` → `insertRows`… → `createAfterData`
 * → `commit` (or `rollback` on any error and for `--simulate`).
 */
export interface TargetConnection {
  readonly engine: EngineName;
  /**
   * What the target left out of another engine's dump because it has no equivalent (a
   * CHECK in SQL it does not share, a default calling another engine's function...),
   * one sentence each, naming the table and object. Filled while the restore runs.
   */
  readonly warnings: readonly string[];
  inspect(): Promise<TargetState>;
  begin(): Promise<void>;
  /** Remove the user objects that would clash with `schema`, so the load starts empty. */
  clear(schema: DatabaseSchema): Promise<void>;
  /** Create schemas, types, sequences and tables (no indexes, triggers, views or FKs yet). */
  createBeforeData(schema: DatabaseSchema): Promise<void>;
  /**
   * Insert a batch of rows. `columns` are the data columns of the module, in order.
   * Errors name the table, and the index in `rows` of the failing row when the engine tells.
   */
  insertRows(table: TableSchema, columns: readonly string[], rows: readonly DumpRow[]): Promise<void>;
  /**
   * Optional, for speed: a transcoder for the rows of one data module that go into
   * `table` unchanged, in `columns` order, read with the column kinds `kinds`; null when
   * the target cannot take them without values (then they come to `insertRows`). The
   * table must end up with exactly what `insertRows` would store, failing with the same
   * errors. Targets without a bulk format worth writing directly leave it out.
   */
  rowTranscoder?(table: TableSchema, columns: readonly string[], kinds: readonly ValueKind[]): RowTranscoder | null;
  /** Indexes, constraints, foreign keys, views, triggers, sequence state, settings. */
  createAfterData(schema: DatabaseSchema): Promise<void>;
  /** Savepoints inside the transaction, for `--tolerate` (one per table). */
  savepoint(name: string): Promise<void>;
  releaseSavepoint(name: string): Promise<void>;
  rollbackToSavepoint(name: string): Promise<void>;
  /** Empty existing tables for a data-only restore. */
  truncate?(tables: readonly TableSchema[]): Promise<void>;
  /**
   * After a data-only load: move the sequences the loaded tables' columns own (serial,
   * identity) past the largest loaded value, so the application's next insert does not
   * collide. Engines whose counters follow inserts (SQLite) leave it out.
   */
  syncSequences?(tables: readonly TableSchema[]): Promise<void>;
  /**
   * Run one statement with parameters inside the transaction (migration hooks).
   * Placeholders are the engine's own: `?` for SQLite, `$1`… for PostgreSQL.
   */
  execute(sql: string, params?: readonly unknown[]): Promise<void>;
  /** Run a query inside the transaction and return its rows as objects (migration hooks). */
  query(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Rows in a target's own load format, made by its {@link RowTranscoder}: opaque to
 * everything but that target.
 */
export interface TranscodedRows {
  /** How many rows. */
  readonly rows: number;
  /** About how much memory they hold, in bytes. */
  readonly bytes: number;
}

/**
 * Takes the rows of one data module straight from the module's lines into the target's
 * load format (a line in the encoder's form without a value per field; any other line
 * as its parsed values, see `LineTranscoder`), and inserts them.
 */
export interface RowTranscoder extends LineTranscoder<TranscodedRows> {
  /**
   * Insert batches this transcoder (or another of the same table and columns) made, in
   * one go, as one `insertRows` call of all their rows would: errors name the table,
   * and the index of the failing row counted across the batches.
   */
  insert(batches: readonly TranscodedRows[]): Promise<void>;
}

export interface ScratchDatabase {
  readonly url: DatabaseUrl;
  drop(): Promise<void>;
}
