import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { SourceConnection } from "../dialects/dialect.ts";
import type { WrittenModule } from "../emitter/data-module-parts.ts";
import { databaseError } from "../errors.ts";
import { type TableSchema, displayName } from "../model/schema-model.ts";
import { ChunkedTableDump } from "./chunked-table-dump.ts";
import { type TableReadPlan, planTableReads } from "./table-chunks.ts";
import type { DumpTask, WorkerSetup } from "./table-dump-messages.ts";
import type { DumpWorkerPool } from "./table-dump-pool.ts";
import type { DumpProgress } from "./table-dumper.ts";

/** The outcome of one table, at the table's index in the list given. */
export type TableOutcome = { readonly modules: readonly WrittenModule[] } | { readonly error: Error };

export interface ParallelDumpOptions {
  readonly jobs: number;
  /** What every worker was told; `setup.dir` is the dump directory being written. */
  readonly setup: WorkerSetup;
  /** The workers, started on `setup` (stopped when this returns, whatever happens). */
  readonly workers: DumpWorkerPool;
  readonly onProgress?: (event: DumpProgress) => void;
  /** Whether a failed table stops the dump (no --tolerate). */
  readonly stopOnError: boolean;
}

/** Where the workers leave the segments of chunked tables, inside the dump directory (removed before it is committed). */
const SEGMENTS = "segments";

/**
 * Dump `tables` with `jobs` worker threads on the shared snapshot: big tables in key
 * ranges (`planTableReads`) stitched by the main thread, the others whole. Null when there
 * is not more than one task to share out (the caller reads through its own source).
 * Outcomes are in the order of `tables`, never in completion order; with `stopOnError`
 * the first failure is thrown instead. The segment directory is removed whatever happens.
 */
export async function dumpInParallel(
  source: SourceConnection,
  tables: readonly TableSchema[],
  options: ParallelDumpOptions,
): Promise<{ outcomes: TableOutcome[]; readers: number } | null> {
  const plans = await planTableReads(source, tables, { jobs: options.jobs, maxRowCount: options.setup.maxRowCount });
  const segments = join(options.setup.dir, SEGMENTS);
  const { tasks, owners } = tasksOf(plans, segments);
  if (tasks.length <= 1) return null;
  const outcomes: (TableOutcome | undefined)[] = new Array(tables.length);
  const chunked = chunkedDumps(plans, options);
  const stop = new AbortController();
  const stitched = [...chunked].map(([i, dump]) =>
    dump.run().then(
      (modules) => void (outcomes[i] = { modules }),
      (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        outcomes[i] ??= { error: failure };
        const name = displayName(tables[i]!);
        if (options.stopOnError) stop.abort(databaseError("READ", `Reading table ${name} failed`, failure, { table: name }));
      },
    ),
  );
  if (!options.setup.simulate && chunked.size > 0) await mkdir(segments, { recursive: true });
  let readers = 0;
  try {
    readers = await options.workers.run(tasks, {
      onProgress: options.onProgress,
      onChunkRows: (id, rows) => chunked.get(owners[id]!.table)!.chunkRows(owners[id]!.chunk, rows),
      onOutcome: (id, outcome) => {
        const { table, chunk } = owners[id]!;
        const dump = chunked.get(table);
        if (dump === undefined) outcomes[table] = "chunk" in outcome ? { error: new Error("A whole-table task came back as a chunk.") } : outcome;
        else if ("chunk" in outcome) dump.chunkDone(chunk, outcome.chunk);
        else dump.fail("error" in outcome ? outcome.error : new Error("A chunk task came back as a whole table."));
      },
      stopOnError: options.stopOnError,
      signal: stop.signal,
    });
  } catch (error) {
    for (const dump of chunked.values()) dump.fail(error instanceof Error ? error : new Error(String(error)));
    throw error;
  } finally {
    // A chunk no worker reported (a worker gone) must not leave its table waiting.
    for (const dump of chunked.values()) dump.fail(new Error(`Part of table ${displayName(dump.table)} was not read by any worker.`));
    await Promise.all(stitched);
    await rm(segments, { recursive: true, force: true });
  }
  if (stop.signal.aborted) throw stop.signal.reason;
  return { outcomes: outcomes.map((o, i) => o ?? { error: new Error(`Table ${tables[i]!.key} was not dumped by any worker.`) }), readers };
}

/** The main thread's side of each table read in key ranges, by table index. */
function chunkedDumps(plans: readonly TableReadPlan[], options: ParallelDumpOptions): Map<number, ChunkedTableDump> {
  const chunked = new Map<number, ChunkedTableDump>();
  const dir = options.setup.simulate ? null : options.setup.dir;
  plans.forEach((plan, i) => {
    if (plan.ranges === null) return;
    const { maxRowCount } = options.setup;
    chunked.set(i, new ChunkedTableDump({ table: plan.table, chunks: plan.ranges.length, estimate: plan.estimate, dir, maxRowCount, onProgress: options.onProgress }));
  });
  return chunked;
}

/** The tasks, largest first (a chunk counts its share of the table), and which table and chunk each is. */
function tasksOf(plans: readonly TableReadPlan[], segments: string): { tasks: DumpTask[]; owners: { table: number; chunk: number }[] } {
  const items = plans.flatMap((plan, table) => {
    if (plan.ranges === null) return [{ task: { kind: "table", table: plan.table } as DumpTask, size: plan.estimate, table, chunk: 0 }];
    return plan.ranges.map((range, chunk) => ({
      task: { kind: "chunk", table: plan.table, range, segment: join(segments, `${table}.${chunk}.seg`) } as DumpTask,
      size: plan.estimate / plan.ranges!.length,
      table,
      chunk,
    }));
  });
  // NOTE: a stable sort: equal sizes keep table order, and a table's chunks their key order.
  items.sort((a, b) => b.size - a.size);
  return { tasks: items.map((i) => i.task), owners: items.map(({ table, chunk }) => ({ table, chunk })) };
}
