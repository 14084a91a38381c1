import type { KeyRange, SourceConnection } from "../dialects/dialect.ts";
import type { TableSchema } from "../model/schema-model.ts";

/** How a `--jobs` dump reads one table: whole, or in key ranges (in key order). */
export interface TableReadPlan {
  readonly table: TableSchema;
  /** Rows expected (SQLite: counted; PostgreSQL: the catalog's estimate), for ordering and progress. */
  readonly estimate: number;
  /** Key ranges read in parallel, in key order; null: the table is read whole by one worker. */
  readonly ranges: readonly KeyRange[] | null;
}

export interface ChunkPlanOptions {
  readonly jobs: number;
  readonly maxRowCount: number;
}

/**
 * Which tables a `--jobs` dump splits into key ranges: those with more than two modules'
 * worth of rows (`2 × maxRowCount`) by the estimate and a key the source can read by range
 * (`SourceConnection.keySplits`), in `2 × jobs` ranges of about equal size, so that one
 * big table keeps every worker busy. The split only shares out the work: the stitched
 * modules are the same bytes whatever the ranges.
 */
export async function planTableReads(source: SourceConnection, tables: readonly TableSchema[], options: ChunkPlanOptions): Promise<TableReadPlan[]> {
  const plans: TableReadPlan[] = [];
  for (const table of tables) {
    const estimate = table.rowCount > 0 ? table.rowCount : table.dataDumped ? await source.estimateRows(table) : 0;
    const big = options.jobs > 1 && table.dataDumped && estimate > 2 * options.maxRowCount && source.keySplits !== undefined;
    const count = Math.min(2 * options.jobs, Math.floor(estimate / options.maxRowCount));
    const splits = big ? await source.keySplits!(table, count) : null;
    plans.push({ table, estimate, ranges: splits === null || splits.length === 0 ? null : rangesBetween(splits) });
  }
  return plans;
}

/** The ranges `splits` (ascending) cut the key line into: below the first, between each two, from the last on. */
export function rangesBetween(splits: readonly bigint[]): KeyRange[] {
  const ranges: KeyRange[] = [];
  let from: bigint | null = null;
  for (const split of splits) {
    ranges.push({ from, to: split });
    from = split;
  }
  ranges.push({ from, to: null });
  return ranges;
}
