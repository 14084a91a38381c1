import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { GenDumpError, databaseError } from "../../errors.ts";
import { type DatabaseSchema, type TableSchema, displayName } from "../../model/schema-model.ts";
import type { DumpRow } from "../../model/values.ts";
import type { TargetConnection, TargetState } from "../dialect.ts";
import type { PgSession } from "./postgres-connection.ts";
import { type FieldEncoder, Rejection, fieldEncoder } from "./postgres-copy-encoder.ts";
import { DEFAULT_SCHEMA, type Statement, afterDataStatements, beforeDataStatements, schemasOf } from "./postgres-restore-ddl.ts";
import { qualify, quoteIdent, quoteList } from "./postgres-sql.ts";
import { clearStatements, inspectTarget } from "./postgres-target-catalog.ts";
import { postgresColumnType } from "./postgres-type-map.ts";

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
    for (const statement of beforeDataStatements(schema)) await this.#run(statement);
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
      await pipeline(Readable.from([text]), this.#session.copyIn(sql));
    } catch (error) {
      throw copyError(error, displayName(table), names, sql);
    }
  }

  async createAfterData(schema: DatabaseSchema): Promise<void> {
    for (const statement of afterDataStatements(schema)) await this.#run(statement);
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

  commit(): Promise<void> {
    return this.#run({ sql: "COMMIT", what: "the restore transaction" });
  }

  rollback(): Promise<void> {
    return this.#run({ sql: "ROLLBACK", what: "the restore transaction" });
  }

  close(): Promise<void> {
    return this.#session.close();
  }

  async #run(statement: Statement): Promise<void> {
    try {
      await this.#session.execute(statement.sql);
    } catch (error) {
      throw databaseError("RESTORE", `Creating ${statement.what} failed`, error, {
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
): string {
  const lines: string[] = new Array(rows.length);
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
    lines[r] = `${line}\n`;
  }
  return lines.join("");
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
