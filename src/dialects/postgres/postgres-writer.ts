import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Utf8Chunks } from "../../encoding/utf8-chunks.ts";
import { GenDumpError, databaseError } from "../../errors.ts";
import { type DatabaseSchema, type SchemaObject, type TableSchema, displayName } from "../../model/schema-model.ts";
import type { DumpRow } from "../../model/values.ts";
import type { TargetConnection, TargetState } from "../dialect.ts";
import type { PgSession } from "./postgres-connection.ts";
import { type FieldEncoder, Rejection, fieldEncoder } from "./postgres-copy-encoder.ts";
import { DEFAULT_SCHEMA, type Statement, afterDataStatements, beforeDataStatements, schemasOf, viewStatements } from "./postgres-restore-ddl.ts";
import { qualify, quoteIdent, quoteList } from "./postgres-sql.ts";
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

  constructor(session: PgSession) {
    this.#session = session;
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
    const native = (this.#engine ?? (table.schema === null ? "sqlite" : "postgres")) === "postgres";
    // A SQLite rowid table's hidden rowid has no PostgreSQL column: it is left out.
    const keep = columns.map((c, i) => (c === table.rowidColumn ? -1 : i)).filter((i) => i >= 0);
    const names = keep.map((i) => columns[i]!);
    const text = encodeRows(table, rows, keep, names, names.map((c) => encoderFor(table, c, native)));
    const list = names.length > 0 ? ` (${quoteList(names)})` : "";
    const sql = `COPY ${qualify(table.schema ?? DEFAULT_SCHEMA, table.name)}${list} FROM STDIN`;
    try {
      await pipeline(Readable.from(text), this.#session.copyIn(sql));
    } catch (error) {
      throw copyError(error, displayName(table), names, sql);
    }
    if (!native) await verifyPortableValues(this.#session, table, names, keep, rows);
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

function encoderFor(table: TableSchema, column: string, native: boolean): FieldEncoder {
  const schema = table.columns.find((c) => c.name === column);
  if (schema === undefined) {
    throw new GenDumpError("RESTORE", `Loading table ${displayName(table)} failed: the data names column ${JSON.stringify(column)}, which the table does not have.`, { table: displayName(table), column });
  }
  return fieldEncoder(native ? schema.kind : postgresColumnType(schema).kind);
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
    const row = rows[r]!;
    let line = "";
    for (let k = 0; k < keep.length; k++) {
      const value = row[keep[k]!];
      if (k > 0) line += "\t";
      const field = value === null || value === undefined ? "\\N" : encoders[k]!(value);
      if (field instanceof Rejection) {
        const name = displayName(table);
        const column = names[k]!;
        throw new GenDumpError("RESTORE", `Loading table ${name} failed at row ${r} (column ${column}): ${field.reason}.`, { table: name, column, row: r });
      }
      line += field;
    }
    out.append(`${line}\n`);
  }
  return out.take();
}

/** Map a COPY error's `line N` (its `where` field) back to the row index of the batch. */
function copyError(error: unknown, table: string, columns: readonly string[], sql: string): GenDumpError {
  const pgError = error as { message?: string; where?: string; column?: string };
  const where = pgError.where ?? "";
  const line = /, line (\d+)/.exec(where);
  const row = line === null ? undefined : Number(line[1]) - 1;
  const column = pgError.column ?? [...columns].sort((a, b) => b.length - a.length).find((c) => where.includes(`, column ${c}:`) || where.endsWith(`, column ${c}`));
  const at = row === undefined ? "" : ` at row ${row}${column === undefined ? "" : ` (column ${column})`}`;
  return new GenDumpError("RESTORE", `Loading table ${table} failed${at}: ${pgError.message ?? String(error)}`, {
    table,
    sql,
    ...(column !== undefined ? { column } : {}),
    ...(row !== undefined ? { row } : {}),
  }, { cause: error });
}
