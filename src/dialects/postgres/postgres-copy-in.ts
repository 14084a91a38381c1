import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { GenDumpError } from "../../errors.ts";
import { type TableSchema, displayName } from "../../model/schema-model.ts";
import type { PgSession } from "./postgres-connection.ts";
import { DEFAULT_SCHEMA } from "./postgres-restore-ddl.ts";
import { qualify, quoteList } from "./postgres-sql.ts";

/**
 * One batch of COPY text into a table: `COPY ... FROM STDIN` (text format) fed with the
 * batch's bytes, its errors mapped back to the row of the batch. Shared by the writer's
 * value path and the transcoder.
 * @see https://www.postgresql.org/docs/current/sql-copy.html
 */
export async function copyIn(session: PgSession, table: TableSchema, names: readonly string[], text: readonly Buffer[]): Promise<void> {
  const list = names.length > 0 ? ` (${quoteList(names)})` : "";
  const sql = `COPY ${qualify(table.schema ?? DEFAULT_SCHEMA, table.name)}${list} FROM STDIN`;
  try {
    await pipeline(Readable.from(text), session.copyIn(sql));
  } catch (error) {
    throw copyError(error, displayName(table), names, sql);
  }
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
