import type { KeyRange, SourceConnection } from "../dialects/dialect.ts";
import { DataModuleWriter, type WrittenModule } from "../emitter/data-module-writer.ts";
import { type ChunkSummary, SegmentWriter } from "../emitter/segment-writer.ts";
import { type TableSchema, dataColumns, dataKinds, displayName } from "../model/schema-model.ts";
import { PartPlan } from "../planner/part-boundaries.ts";

/** Progress of a dump, per table. */
export type DumpProgress =
  | { readonly type: "table-start"; readonly table: string; readonly estimate: number }
  | { readonly type: "rows"; readonly table: string; readonly rows: number }
  | { readonly type: "table-done"; readonly table: string; readonly rows: number };

/** What one table's dump needs; the same in the main thread and in a `--jobs` worker. */
export interface TableDumpOptions {
  readonly source: SourceConnection;
  readonly table: TableSchema;
  /** The dump directory being written (OutputDir's temporary directory). */
  readonly dir: string;
  readonly maxRowCount: number;
  readonly simulate: boolean;
  readonly onProgress?: (event: DumpProgress) => void;
}

/**
 * Stream one table's rows from `source` into its data modules. On failure the modules
 * written so far are removed and the error is rethrown, unwrapped.
 */
export async function dumpTableRows(options: TableDumpOptions): Promise<WrittenModule[]> {
  const { source, table, onProgress } = options;
  const name = displayName(table);
  const columns = dataColumns(table);
  const kinds = dataKinds(table, columns);
  if (onProgress) onProgress({ type: "table-start", table: name, estimate: await source.estimateRows(table) });
  const writer = options.simulate ? null : new DataModuleWriter({ dir: options.dir, table, columns, kinds, maxRowCount: options.maxRowCount });
  // NOTE: --simulate plans the same parts the writer would cut (content-defined boundaries).
  const plan = writer === null ? new PartPlan(table, columns, kinds, options.maxRowCount) : null;
  let rows = 0;
  try {
    if (table.dataDumped && writer !== null && source.readEncodedRows !== undefined) {
      for await (const batch of source.readEncodedRows(table, writer.keyColumns)) {
        await writer.addEncoded(batch);
        rows += batch.rows;
        onProgress?.({ type: "rows", table: name, rows });
      }
    } else if (table.dataDumped) {
      for await (const batch of source.readRows(table)) {
        if (writer) await writer.add(batch);
        else plan!.add(batch);
        rows += batch.length;
        onProgress?.({ type: "rows", table: name, rows });
      }
    }
    const modules = writer ? await writer.finish() : plan!.modules().map((m) => ({ ...m, sha256: "" }));
    onProgress?.({ type: "table-done", table: name, rows });
    return modules;
  } catch (error) {
    await writer?.abort();
    throw error;
  }
}

/** What one key range of a big table needs (a `--jobs` chunk task). */
export interface ChunkDumpOptions {
  readonly source: SourceConnection;
  readonly table: TableSchema;
  readonly range: KeyRange;
  /** The segment file to write; null to only count (--simulate). */
  readonly segment: string | null;
  readonly maxRowCount: number;
  /** Rows of the chunk read so far. */
  readonly onRows?: (rows: number) => void;
}

/**
 * Stream one key range of a table's rows into a segment, encoded as `dumpTableRows`
 * encodes them (`PartStitcher` makes the modules). On failure the segment is removed and
 * the error is rethrown, unwrapped.
 */
export async function dumpChunkRows(options: ChunkDumpOptions): Promise<ChunkSummary> {
  const { source, table } = options;
  const columns = dataColumns(table);
  const writer = await SegmentWriter.create({ path: options.segment, table, columns, kinds: dataKinds(table, columns), maxRowCount: options.maxRowCount });
  let rows = 0;
  try {
    if (source.readEncodedRows !== undefined) {
      for await (const batch of source.readEncodedRows(table, writer.keyColumns, { range: options.range })) {
        await writer.addEncoded(batch);
        rows += batch.rows;
        options.onRows?.(rows);
      }
    } else {
      for await (const batch of source.readRows(table, { range: options.range })) {
        await writer.add(batch);
        rows += batch.length;
        options.onRows?.(rows);
      }
    }
    return await writer.finish();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
