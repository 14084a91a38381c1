import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { RowTranscoder, TranscodedRows } from "../dialects/dialect.ts";
import { LiteralKindError, LiteralSyntaxError, readDataModule } from "../encoding/literal-reader.ts";
import { GenDumpError, errorGist } from "../errors.ts";
import { type TableSchema, dataColumns } from "../model/schema-model.ts";
import type { DumpRow, ValueKind } from "../model/values.ts";
import { normalizeImportedValue } from "./imported-value.ts";

/** A batch of rows from a data module; `lines` holds each row's 1-based line (null when imported). */
export interface ModuleBatch {
  readonly columns: readonly string[];
  /** The rows' values; empty when a transcoder took the rows (`transcoded`). */
  readonly rows: DumpRow[];
  /** The rows as the transcoder of {@link loadDataModule} made them. */
  readonly transcoded?: TranscodedRows;
  /** How many rows. */
  readonly count: number;
  readonly lines: readonly number[] | null;
}

/** Gives a module's rows a transcoder, once its header names the columns (null: values). */
export type TranscoderFor = (columns: readonly string[], kinds: readonly ValueKind[]) => RowTranscoder | null;

/**
 * Read a data module's rows in batches. The fast path parses the literals line by line
 * without executing anything; a module a person edited into more than literals (an
 * expression, a row over several lines) is imported and run as the TypeScript it is.
 * Both paths give the same values for the same literals (property-tested).
 * With `transcoder`, the fast path hands the rows to the transcoder it gives (see
 * readDataModule); the import path always gives values.
 */
export async function* loadDataModule(dumpDir: string, file: string, table: TableSchema, transcoder?: TranscoderFor): AsyncGenerator<ModuleBatch> {
  const path = join(dumpDir, file);
  let delivered = 0;
  let moduleColumns: readonly string[] = [];
  const kindsFor = (key: string, columns: readonly string[]) => kindsOf(table, key, (moduleColumns = columns), file);
  try {
    for await (const batch of readDataModule(path, kindsFor, { transcoder })) {
      delivered += batch.lines.length;
      yield { columns: batch.columns, rows: batch.rows, transcoded: batch.transcoded, count: batch.lines.length, lines: batch.lines };
    }
    return;
  } catch (error) {
    if (error instanceof LiteralKindError) throw kindError(error, file, table, moduleColumns);
    if (!(error instanceof LiteralSyntaxError)) throw error;
    yield* importFallback(path, file, table, delivered, error);
  }
}

/** `file:line:col: … (table t, column c)`: the reader knows the column by index only. */
function kindError(error: LiteralKindError, file: string, table: TableSchema, columns: readonly string[]): GenDumpError {
  const column = columns[error.columnIndex] ?? `#${error.columnIndex + 1}`;
  return new GenDumpError(
    "DUMP_TYPE",
    `${file}:${error.line}:${error.col}: ${error.reason} (table ${table.name}, column ${column}). Nothing was loaded.`,
    { file, line: error.line, col: error.col, table: table.name, column },
    { cause: error },
  );
}

/** Kinds of a module's columns; an unknown column or another table's key is an error. */
function kindsOf(table: TableSchema, key: string, columns: readonly string[], file: string): ValueKind[] {
  if (key !== table.key) {
    throw new GenDumpError("DUMP_FORMAT", `${file}: the module holds rows of table ${JSON.stringify(key)}, but restore.ts lists it for ${JSON.stringify(table.key)}.`, { file, table: table.key });
  }
  const known = new Set(dataColumns(table));
  return columns.map((name) => {
    if (!known.has(name)) {
      throw new GenDumpError("DUMP_FORMAT", `${file}: column ${JSON.stringify(name)} is not a column of table ${JSON.stringify(table.name)} in schema.ts.`, { file, table: table.name, column: name });
    }
    if (name === table.rowidColumn) return "integer";
    return table.columns.find((c) => c.name === name)!.kind;
  });
}

async function* importFallback(
  path: string,
  file: string,
  table: TableSchema,
  skip: number,
  syntax: LiteralSyntaxError,
): AsyncGenerator<ModuleBatch> {
  let module: { default?: { table?: unknown; columns?: unknown; rows?: unknown } };
  try {
    module = (await import(pathToFileURL(path).href)) as typeof module;
  } catch (error) {
    const reason = errorGist(error);
    throw new GenDumpError(
      "DUMP_FORMAT",
      `${file}:${syntax.line}:${syntax.col}: ${syntax.message} (table ${table.name}). The module does not run either: ${reason}. Fix the line or restore the file from the dump's original.`,
      { file, line: syntax.line, col: syntax.col, table: table.name },
      { cause: error },
    );
  }
  const data = module.default;
  if (!data || typeof data.table !== "string" || !Array.isArray(data.columns) || !Array.isArray(data.rows)) {
    throw new GenDumpError("DUMP_FORMAT", `${file}: the default export is not rows(table, columns, data).`, { file, table: table.name });
  }
  const columns = data.columns as string[];
  const kinds = kindsOf(table, data.table, columns, file);
  const rows = (data.rows as unknown[][]).slice(skip).map((row, i) => {
    const where = () => `${file}: row ${skip + i + 1} of table ${table.name}`;
    if (!Array.isArray(row) || row.length !== kinds.length) {
      throw new GenDumpError("DUMP_FORMAT", `${where()} has ${Array.isArray(row) ? row.length : "no"} values; the module names ${kinds.length} columns.`, { file, table: table.name, row: skip + i + 1 });
    }
    return row.map((v, c) => normalizeImportedValue(v, kinds[c]!, where));
  });
  yield { columns, rows, count: rows.length, lines: null };
}
