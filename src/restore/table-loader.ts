import type { TargetConnection } from "../dialects/dialect.ts";
import type { DumpManifest } from "../emitter/restore-module-emitter.ts";
import { GenDumpError } from "../errors.ts";
import type { MigrationPlan } from "../migrate/migration-plan.ts";
import { describeOp } from "../migrate/migration-steps.ts";
import type { RowItem } from "../migrate/row-pipeline.ts";
import { lookup } from "../migrate/schema-transform.ts";
import { type DatabaseSchema, type TableSchema, dataColumns, displayName } from "../model/schema-model.ts";
import { type DumpRow, type DumpValue, RawText, type ValueKind, plainLiteralFits } from "../model/values.ts";
import { loadOrder } from "../planner/load-order.ts";
import { normalizeImportedValue } from "./imported-value.ts";
import { loadDataModule } from "./module-loader.ts";
import type { RestoreProgress } from "./restore.ts";
import { RowSink } from "./row-sink.ts";

/** Rows handed to the target per flush (a COPY batch for PostgreSQL). */
const INSERT_BATCH = 2000;
/**
 * Bytes of transcoded rows handed to the target per flush. Such rows hold nothing but
 * their bytes, so a flush takes many more of them: fewer inserts, each with a fixed cost
 * and round trips the server waits through (measured on PostgreSQL, 1.1M rows: 0.5 to 2 s
 * less than flushing them every 2000 rows). The index of a refused row in the error
 * message counts the rows of its insert, so it is larger than with value rows.
 */
const TRANSCODED_BATCH_BYTES = 4 << 20;

export interface LoadRowsOptions {
  readonly target: TargetConnection;
  readonly dumpDir: string;
  readonly dump: DumpManifest;
  /** The dump's own schema (what the data modules hold). */
  readonly source: DatabaseSchema;
  readonly plan: MigrationPlan;
  /** The table a final table's rows are inserted into (the target's own for --data-only). */
  readonly destination: (table: TableSchema) => TableSchema;
  readonly tolerate: boolean;
  readonly onProgress?: (event: RestoreProgress) => void;
}

export interface LoadedRows {
  /** Rows loaded per final table, in load order. */
  readonly tables: readonly { readonly table: string; readonly rows: number }[];
  readonly failedTables: readonly { readonly table: string; readonly message: string }[];
}

/**
 * Read every data module in the manifest's order, send each row through the plan's
 * pipeline (tables it does not touch go straight through) and insert the results.
 * With `tolerate`, each source table loads inside its own savepoint.
 */
export async function loadRows(options: LoadRowsOptions): Promise<LoadedRows> {
  const { source, plan, target } = options;
  const sourceByKey = new Map(source.tables.map((t) => [t.key, t]));
  const finalByKey = new Map(plan.schema.tables.map((t) => [t.key, t]));
  const order = new Map(loadOrder(plan.schema.tables).map((t, i) => [t.key, i]));
  const sink = new RowSink(target, order, options.destination);
  const failed: { table: string; message: string }[] = [];
  const keys = [...new Set(options.dump.modules.map((m) => m.table))];
  for (const [index, key] of keys.entries()) {
    const table = sourceByKey.get(key);
    if (table === undefined) {
      throw new GenDumpError("DUMP_FORMAT", `restore.ts lists table ${JSON.stringify(key)}, which schema.ts does not describe.`, { table: key });
    }
    const files = options.dump.modules.filter((m) => m.table === key);
    options.onProgress?.({ type: "table-start", table: displayName(table), total: files.reduce((n, m) => n + m.rows, 0) });
    const savepoint = `gen_dump_table_${index}`;
    const mark = new Map(sink.loaded);
    if (options.tolerate) await target.savepoint(savepoint);
    try {
      const rows = await loadTable(options, sink, table, finalByKey.get(key), files.map((f) => f.file));
      if (options.tolerate) await target.releaseSavepoint(savepoint);
      options.onProgress?.({ type: "table-done", table: displayName(table), rows });
    } catch (error) {
      if (!options.tolerate || !(error instanceof GenDumpError)) throw error;
      await target.rollbackToSavepoint(savepoint);
      sink.discard(mark);
      failed.push({ table: displayName(table), message: error.message });
    }
  }
  const tables = loadOrder(plan.schema.tables)
    .map((t) => ({ table: displayName(t), rows: sink.loaded.get(displayName(t)) }))
    .filter((t): t is { table: string; rows: number } => t.rows !== undefined);
  return { tables, failedTables: failed };
}

/** One source table's modules through the pipeline into the sink; returns the source rows read. */
async function loadTable(options: LoadRowsOptions, sink: RowSink, table: TableSchema, unchanged: TableSchema | undefined, files: readonly string[]): Promise<number> {
  const { pipeline, schema } = options.plan;
  const name = displayName(table);
  const affected = pipeline.affects(name);
  const shapes = new FinalShapes(schema.tables);
  // NOTE: rows the chain leaves alone may go to the target without values, when it can
  // take them so (see TargetConnection.rowTranscoder); every other row is a value row.
  const passing = !affected && unchanged !== undefined;
  const transcoder = passing ? (columns: readonly string[], kinds: readonly ValueKind[]) => sink.transcoder(unchanged, columns, kinds) : undefined;
  let count = 0;
  for (const file of files) {
    for await (const batch of loadDataModule(options.dumpDir, file, table, transcoder)) {
      if (passing && batch.transcoded !== undefined) {
        sink.addTranscoded(unchanged, batch.columns, batch.transcoded, file, batch.lines!);
        pipeline.passThrough(name, batch.count);
      } else if (passing) {
        sink.addBatch(unchanged, batch.columns, batch.rows, file, batch.lines);
        pipeline.passThrough(name, batch.count);
      } else {
        for (let i = 0; i < batch.rows.length; i++) {
          const row = batch.rows[i]!;
          const line = batch.lines?.[i] ?? null;
          const record: Record<string, unknown> = {};
          for (let c = 0; c < batch.columns.length; c++) record[batch.columns[c]!] = row[c];
          for (const item of pipeline.run(name, record, { file, line })) {
            const final = shapes.of(item.table);
            const { columns, values } = toDumpRow(item, final, row, batch.columns, file, line);
            sink.add(final.table, columns, values, file, line);
          }
        }
      }
      count += batch.count;
      options.onProgress?.({ type: "rows", table: name, rows: count });
      if (batch.transcoded !== undefined ? sink.pendingBytes >= TRANSCODED_BATCH_BYTES : sink.pending >= INSERT_BATCH) await sink.flush(true);
    }
  }
  await sink.flush();
  return count;
}

/** A final table's data columns and their kinds, worked out once per table, not per row. */
interface FinalShape {
  readonly table: TableSchema;
  readonly columns: readonly string[];
  readonly kinds: ReadonlyMap<string, ValueKind>;
}

class FinalShapes {
  readonly #shapes = new Map<string, FinalShape>();
  constructor(private readonly tables: readonly TableSchema[]) {}

  of(name: string): FinalShape {
    let shape = this.#shapes.get(name);
    if (shape === undefined) {
      const table = lookup(this.tables, name)!;
      const columns = dataColumns(table);
      shape = { table, columns, kinds: new Map(columns.map((c) => [c, kindOf(table, c)])) };
      this.#shapes.set(name, shape);
    }
    return shape;
  }
}

/**
 * A transformed row as the final table's data columns. Values carried over unchanged
 * from the source row keep their exact value; values a step produced must be values a
 * dump can hold, of the column's kind (a JS number in an integer column is an INTEGER).
 */
function toDumpRow(
  item: RowItem,
  shape: FinalShape,
  source: readonly DumpValue[],
  sourceColumns: readonly string[],
  file: string,
  line: number | null,
): { columns: string[]; values: DumpRow } {
  const { table, columns: known, kinds } = shape;
  const by = () => (item.by === null ? "the dump" : `${item.by.step === "restore.ts" ? "restore.ts's transforms" : `migration step ${JSON.stringify(item.by.step)}`} (${describeOp(item.by)})`);
  const at = () => `${file}${line === null ? "" : `:${line}`}`;
  for (const key of Object.keys(item.row)) {
    if (!kinds.has(key)) {
      throw new GenDumpError(
        "TRANSFORM",
        `${at()}: a row for table ${displayName(table)} made by ${by()} has column ${JSON.stringify(key)}, which the table does not have at the end of the chain (columns: ${known.join(", ")}). Nothing was written to the target.`,
        { file, ...(line !== null ? { line } : {}), table: displayName(table), column: key },
      );
    }
  }
  const columns = known.filter((c) => c in item.row);
  const values = columns.map((c) => {
    const value = item.row[c];
    if (value === undefined || value === null) return null;
    // NOTE: a value left where it was is the reader's, already checked (and an integral REAL
    // in an "any" column must stay a number); anything else is checked against the column.
    const from = sourceColumns.indexOf(c);
    if ((from >= 0 && source[from] === value) || value instanceof RawText) return value as DumpValue;
    try {
      return carriedOrImported(value, source, kinds.get(c)!, () => `column ${c}`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new GenDumpError("TRANSFORM", `${at()}: a row for table ${displayName(table)} made by ${by()} does not fit: ${reason} Nothing was written to the target.`, {
        file,
        ...(line !== null ? { line } : {}),
        table: displayName(table),
        column: c,
      });
    }
  });
  return { columns, values };
}

/**
 * A value a step produced, or moved from another column of the row: a moved one keeps its
 * JavaScript type (a REAL 5 stays a number) but must fit the column's kind; a new one is
 * read as a data module's literal would be.
 */
function carriedOrImported(value: unknown, source: readonly DumpValue[], kind: ValueKind, where: () => string): DumpValue {
  const type = typeof value;
  if (!source.includes(value as DumpValue) || (type !== "number" && type !== "bigint" && type !== "string" && type !== "boolean")) {
    return normalizeImportedValue(value, kind, where);
  }
  if (!plainLiteralFits(type, kind)) normalizeImportedValue(value, kind, where);
  return value as DumpValue;
}

function kindOf(table: TableSchema, column: string): ValueKind {
  if (column === table.rowidColumn) return "integer";
  return table.columns.find((c) => c.name === column)?.kind ?? "any";
}
