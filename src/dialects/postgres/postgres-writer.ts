import { Utf8Chunks } from "../../encoding/utf8-chunks.ts";
import { GenDumpError, databaseError } from "../../errors.ts";
import { type DatabaseSchema, type SchemaObject, type TableSchema, displayName } from "../../model/schema-model.ts";
import type { DumpRow, ValueKind } from "../../model/values.ts";
import type { RowTranscoder, TargetConnection, TargetState } from "../dialect.ts";
import type { PgSession } from "./postgres-connection.ts";
import { type FieldEncoder, encodeCopyLine, fieldEncoder, rejectedRowError } from "./postgres-copy-encoder.ts";
import { copyIn } from "./postgres-copy-in.ts";
import { PostgresRowTranscoder, TRANSCODED_KINDS } from "./postgres-transcoder.ts";
import { DEFAULT_SCHEMA, type Statement, afterDataStatements, beforeDataStatements, schemasOf, viewStatements } from "./postgres-restore-ddl.ts";
import { qualify, quoteIdent } from "./postgres-sql.ts";
import { clearStatements, inspectTarget } from "./postgres-target-catalog.ts";
import { postgresColumnType } from "./postgres-type-map.ts";
import { verifyPortableValues } from "./postgres-value-check.ts";

/**
 * A PostgreSQL database being restored into, inside one transaction: DDL runs statement
 * by statement, rows go in with `COPY ... FROM STDIN` (text format) one batch per call.
 * @see https://www.postgresql.org/docs/current/sql-copy.html
 */
export class PostgresTarget implements TargetConnection {
  readonly engine = "postgres" as const;
  readonly #session: PgSession;
  /** Engine of the dump being restored (known from createBeforeData or clear). */
  #engine: DatabaseSchema["engine"] | undefined;
  /** What could not be carried over from another engine's dump (see TargetConnection.warnings). */
  readonly warnings: string[] = [];
  /** Views made before the data (see createBeforeData). */
  #viewsMade: ReadonlySet<SchemaObject> = new Set();
  /** The database is SQL_ASCII: text that is not UTF-8 goes in as its bytes (see fieldEncoder). */
  readonly #rawText: boolean;

  constructor(session: PgSession) {
    this.#session = session;
    this.#rawText = session.serverEncoding === "SQL_ASCII";
  }

  inspect(): Promise<TargetState> {
    return inspectTarget(this.#session);
  }

  async begin(): Promise<void> {
    await this.#run({ sql: "BEGIN", what: "the restore transaction" });
  }

  async clear(schema: DatabaseSchema): Promise<void> {
    this.#engine = schema.engine;
    for (const statement of await clearStatements(this.#session, schema)) await this.#run(statement);
  }

  async createBeforeData(schema: DatabaseSchema): Promise<void> {
    this.#engine = schema.engine;
    const existing = new Set((await this.#session.query<{ name: string }>("SELECT nspname AS name FROM pg_namespace")).map((r) => r.name));
    for (const name of schemasOf(schema).filter((s) => !existing.has(s))) {
      await this.#run({ sql: `CREATE SCHEMA ${quoteIdent(name)}`, what: `schema ${name}` });
    }
    for (const statement of beforeDataStatements(schema, this.warnings)) await this.#run(statement);
    this.#viewsMade = await this.#createViewsEarly(schema);
  }

  /** Views before the data, each in a savepoint: one that fails now is made after the data. */
  async #createViewsEarly(schema: DatabaseSchema): Promise<Set<SchemaObject>> {
    const made = new Set<SchemaObject>();
    for (const { object, statement } of viewStatements(schema)) {
      await this.#run({ sql: "SAVEPOINT gen_dump_view", what: statement.what });
      try {
        await this.#session.execute(statement.sql);
        made.add(object);
      } catch {
        await this.#run({ sql: "ROLLBACK TO SAVEPOINT gen_dump_view", what: statement.what });
      }
      await this.#run({ sql: "RELEASE SAVEPOINT gen_dump_view", what: statement.what });
    }
    return made;
  }

  async insertRows(table: TableSchema, columns: readonly string[], rows: readonly DumpRow[]): Promise<void> {
    if (rows.length === 0) return;
    const native = this.#native(table);
    // A SQLite rowid table's hidden rowid has no PostgreSQL column: it is left out.
    const keep = columns.map((c, i) => (c === table.rowidColumn ? -1 : i)).filter((i) => i >= 0);
    const names = keep.map((i) => columns[i]!);
    const text = encodeRows(table, rows, keep, names, names.map((c) => encoderFor(table, c, native, this.#rawText)));
    await copyIn(this.#session, table, names, text);
    if (!native) await verifyPortableValues(this.#session, table, names, keep, rows);
  }

  /**
   * Row lines straight to COPY text (see PostgresRowTranscoder), when that gives exactly
   * what `insertRows` would: a PostgreSQL dump's rows (another engine's are verified
   * after the COPY, which needs their values), no rowid to leave out, and every column
   * encoded for the kind its literals were read as.
   */
  rowTranscoder(table: TableSchema, columns: readonly string[], kinds: readonly ValueKind[]): RowTranscoder | null {
    if (!this.#native(table) || columns.length !== kinds.length || (table.rowidColumn !== null && columns.includes(table.rowidColumn))) return null;
    for (let i = 0; i < columns.length; i++) {
      const kind = table.columns.find((c) => c.name === columns[i])?.kind;
      if (kind !== kinds[i] || !TRANSCODED_KINDS.has(kind)) return null;
    }
    return new PostgresRowTranscoder(this.#session, table, columns, kinds, this.#rawText);
  }

  /** Whether rows come from a PostgreSQL dump (else from another engine's, with mapped types). */
  #native(table: TableSchema): boolean {
    return (this.#engine ?? (table.schema === null ? "sqlite" : "postgres")) === "postgres";
  }

  async createAfterData(schema: DatabaseSchema): Promise<void> {
    for (const statement of afterDataStatements(schema, this.warnings, this.#viewsMade)) {
      if (statement.optional === undefined) await this.#run(statement);
      else await this.#runOptional(statement, statement.optional.warning);
    }
  }

  savepoint(name: string): Promise<void> {
    return this.#run({ sql: `SAVEPOINT ${quoteIdent(name)}`, what: `savepoint ${name}` });
  }

  releaseSavepoint(name: string): Promise<void> {
    return this.#run({ sql: `RELEASE SAVEPOINT ${quoteIdent(name)}`, what: `savepoint ${name}` });
  }

  rollbackToSavepoint(name: string): Promise<void> {
    return this.#run({ sql: `ROLLBACK TO SAVEPOINT ${quoteIdent(name)}`, what: `savepoint ${name}` });
  }

  async truncate(tables: readonly TableSchema[]): Promise<void> {
    if (tables.length === 0) return;
    const names = tables.map((t) => qualify(t.schema ?? DEFAULT_SCHEMA, t.name)).join(", ");
    await this.#run({ sql: `TRUNCATE TABLE ONLY ${names}`, what: "the tables to reload" });
  }

  async syncSequences(tables: readonly TableSchema[]): Promise<void> {
    for (const table of tables) {
      const name = qualify(table.schema ?? DEFAULT_SCHEMA, table.name);
      const owned = await this.#session.query<{ column: string; seq: string }>(
        "SELECT a.attname AS column, pg_catalog.pg_get_serial_sequence($1, a.attname) AS seq FROM pg_catalog.pg_attribute a " +
          "WHERE a.attrelid = $1::pg_catalog.regclass AND a.attnum > 0 AND NOT a.attisdropped AND pg_catalog.pg_get_serial_sequence($1, a.attname) IS NOT NULL",
        [name],
      );
      for (const { column, seq } of owned) {
        const sql = `SELECT pg_catalog.setval($1, m) FROM (SELECT max(${quoteIdent(column)}) AS m FROM ${name}) AS x WHERE m IS NOT NULL`;
        try {
          await this.#session.query(sql, [seq]);
        } catch (error) {
          throw databaseError("RESTORE", `Moving sequence ${seq} past the loaded rows of ${displayName(table)} failed`, error, { sql, table: displayName(table) });
        }
      }
    }
  }

  async execute(sql: string, params: readonly unknown[] = []): Promise<void> {
    await this.query(sql, params);
  }

  /**
   * A hook's SQL runs with the database's own search_path (the application's view of
   * it), not the restore session's `pg_catalog`, which comes back after it.
   */
  async query(sql: string, params: readonly unknown[] = []): Promise<Record<string, unknown>[]> {
    try {
      await this.#session.execute("RESET search_path");
      return await this.#session.query(sql, params);
    } catch (error) {
      throw databaseError("RESTORE", "A statement of a migration hook failed", error, { sql });
    } finally {
      await this.#session.execute("SET search_path = pg_catalog").catch(() => undefined);
    }
  }

  commit(): Promise<void> {
    return this.#run({ sql: "COMMIT", what: "the restore transaction" });
  }

  rollback(): Promise<void> {
    return this.#run({ sql: "ROLLBACK", what: "the restore transaction" });
  }

  close(): Promise<void> {
    return this.#session.close();
  }

  /** A statement carried over from another engine: if PostgreSQL refuses it, warn and go on without it. */
  async #runOptional(statement: Statement, warning: string): Promise<void> {
    await this.#run({ sql: "SAVEPOINT gen_dump_optional", what: statement.what });
    try {
      await this.#session.execute(statement.sql);
    } catch (error) {
      await this.#run({ sql: "ROLLBACK TO SAVEPOINT gen_dump_optional", what: statement.what });
      this.warnings.push(`${warning} (PostgreSQL refused it: ${(error as Error).message}).`);
    }
    await this.#run({ sql: "RELEASE SAVEPOINT gen_dump_optional", what: statement.what });
  }

  async #run(statement: Statement): Promise<void> {
    try {
      await this.#session.execute(statement.sql);
    } catch (error) {
      // NOTE: PostgreSQL puts the offending key of a failed unique or foreign key in `detail`.
      const detail = (error as { detail?: unknown }).detail;
      const what = typeof detail === "string" && detail !== "" ? `Creating ${statement.what} failed (${detail.length > 300 ? `${detail.slice(0, 300)}...` : detail})` : `Creating ${statement.what} failed`;
      throw databaseError("RESTORE", what, error, {
        sql: statement.sql,
        ...(statement.table !== undefined ? { table: statement.table } : {}),
      });
    }
  }
}

function encoderFor(table: TableSchema, column: string, native: boolean, rawText: boolean): FieldEncoder {
  const schema = table.columns.find((c) => c.name === column);
  if (schema === undefined) {
    throw new GenDumpError("RESTORE", `Loading table ${displayName(table)} failed: the data names column ${JSON.stringify(column)}, which the table does not have.`, { table: displayName(table), column });
  }
  return fieldEncoder(native ? schema.kind : postgresColumnType(schema).kind, rawText);
}

/** One batch as COPY text; a value the column cannot hold fails naming table, column and row. */
function encodeRows(
  table: TableSchema,
  rows: readonly DumpRow[],
  keep: readonly number[],
  names: readonly string[],
  encoders: readonly FieldEncoder[],
): Buffer[] {
  const out = new Utf8Chunks();
  for (let r = 0; r < rows.length; r++) {
    const line = encodeCopyLine(rows[r]!, keep, encoders);
    if (typeof line !== "string") throw rejectedRowError(table, names[line.column]!, r, line.rejection);
    out.append(`${line}\n`);
  }
  return out.take();
}
