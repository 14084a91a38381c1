import { GenDumpError, databaseError } from "../../errors.ts";
import { type DatabaseSchema, type TableSchema, displayName } from "../../model/schema-model.ts";
import type { DumpRow } from "../../model/values.ts";
import type { EncodedRows, ReadRowsOptions, SourceConnection, SourceInfo, TableSelection } from "../dialect.ts";
import { detectPostgresAppVersion } from "./postgres-app-version.ts";
import type { PgSession } from "./postgres-connection.ts";
import { introspectPostgres } from "./postgres-introspector.ts";
import { postgresKeySplits } from "./postgres-key-ranges.ts";
import type { ReadPlan } from "./postgres-read-plan.ts";
import { readEncodedTableRows, readTableRows } from "./postgres-reader.ts";
import { quoteLiteral } from "./postgres-sql.ts";

/** Oldest server the catalog queries support (generated columns: 12). */
const MIN_SERVER_VERSION = 120000;

/**
 * A PostgreSQL database being dumped: one session, one REPEATABLE READ, READ ONLY
 * transaction, so introspection and every table's rows see one snapshot.
 * @see https://www.postgresql.org/docs/current/transaction-iso.html#XACT-REPEATABLE-READ
 */
export class PostgresSource implements SourceConnection {
  readonly info: SourceInfo;
  readonly #session: PgSession;
  readonly #selection: TableSelection | undefined;
  readonly #encoding: string;
  #plans: ReadonlyMap<string, ReadPlan> = new Map();

  private constructor(session: PgSession, selection: TableSelection | undefined, databaseName: string, encoding: string) {
    this.#session = session;
    this.#selection = selection;
    this.#encoding = encoding;
    this.info = { engine: "postgres", databaseName, serverVersion: session.serverVersion };
  }

  /**
   * Start the snapshot transaction. With `snapshot` (from another source's
   * `exportSnapshot()`), this source sees exactly that source's snapshot.
   * @see https://www.postgresql.org/docs/current/sql-set-transaction.html
   */
  static async open(session: PgSession, selection: TableSelection | undefined, snapshot?: string): Promise<PostgresSource> {
    if (session.serverVersionNum < MIN_SERVER_VERSION) {
      await session.close().catch(() => undefined);
      throw new GenDumpError("UNSUPPORTED", `${session.url.display} runs PostgreSQL ${session.serverVersion}; gen-dump reads PostgreSQL 12 or later.`);
    }
    try {
      await session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      if (snapshot !== undefined) await session.execute(`SET TRANSACTION SNAPSHOT ${quoteLiteral(snapshot)}`);
      const [row] = await session.query<{ db: string }>("SELECT current_database() AS db");
      // NOTE: a SQL_ASCII database holds whatever bytes it was given, and the server
      // refuses to send bytes that are not UTF-8 as UTF-8 ("invalid byte sequence"). With
      // the client encoding SQL_ASCII too, they come as they are: the reader keeps text
      // that is not UTF-8 as RawText, byte for byte.
      // https://www.postgresql.org/docs/current/multibyte.html#MULTIBYTE-CHARSET-SUPPORTED
      if (session.serverEncoding === "SQL_ASCII") await session.execute("SET client_encoding = 'SQL_ASCII'");
      return new PostgresSource(session, selection, row!.db, session.serverEncoding);
    } catch (error) {
      await session.close().catch(() => undefined);
      throw databaseError("CONNECT", `Cannot start a snapshot on ${session.url.display}`, error);
    }
  }

  /** Export this source's snapshot for other sessions (parallel readers); valid while it is open. */
  async exportSnapshot(): Promise<string> {
    const [row] = await this.#session.query<{ id: string }>("SELECT pg_export_snapshot() AS id");
    return row!.id;
  }

  async introspect(): Promise<DatabaseSchema> {
    try {
      const { schema, plans } = await introspectPostgres(this.#session, this.#selection, this.#encoding);
      this.#plans = plans;
      return schema;
    } catch (error) {
      throw databaseError("READ", `Reading the schema of ${this.#session.url.display} failed`, error);
    }
  }

  /** The exported snapshot: a PostgreSQL snapshot can always be shared. */
  shareSnapshot(): Promise<string> {
    return this.exportSnapshot();
  }

  /** Rows of a table; a source that was not introspected (a parallel reader) introspects first, in its snapshot. */
  async *readRows(table: TableSchema, options?: ReadRowsOptions): AsyncGenerator<DumpRow[]> {
    yield* readTableRows(this.#session, table, await this.#planOf(table), options);
  }

  async *readEncodedRows(table: TableSchema, keyColumns: readonly number[], options?: ReadRowsOptions): AsyncGenerator<EncodedRows> {
    yield* readEncodedTableRows(this.#session, table, await this.#planOf(table), keyColumns, options);
  }

  async keySplits(table: TableSchema, count: number): Promise<bigint[] | null> {
    const plan = await this.#planOf(table);
    if (plan.rangeKey === null) return null;
    try {
      return await postgresKeySplits(this.#session, plan, await this.estimateRows(table), count);
    } catch (error) {
      throw databaseError("READ", `Sampling the keys of table ${displayName(table)} failed`, error, { table: displayName(table) });
    }
  }

  async #planOf(table: TableSchema): Promise<ReadPlan> {
    if (this.#plans.size === 0) await this.introspect();
    const plan = this.#plans.get(table.key);
    if (plan === undefined) {
      throw new GenDumpError("INTERNAL", `Table ${displayName(table)} is not among the tables this source introspected.`, { table: displayName(table) });
    }
    return plan;
  }

  async estimateRows(table: TableSchema): Promise<number> {
    const [row] = await this.#session.query<{ n: number }>(
      "SELECT c.reltuples::float8 AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2",
      [table.schema, table.name],
    );
    return Math.max(0, Math.round(row?.n ?? 0));
  }

  detectAppVersion(): Promise<string | null> {
    return detectPostgresAppVersion(this.#session);
  }

  async close(): Promise<void> {
    await this.#session.execute("ROLLBACK").catch(() => undefined);
    await this.#session.close();
  }
}
