import { Worker } from "node:worker_threads";
import type { WrittenModule } from "../emitter/data-module-writer.ts";
import { databaseError } from "../errors.ts";
import { type TableSchema, displayName } from "../model/schema-model.ts";
import { type FromWorker, type ToWorker, type WorkerSetup, receiveError } from "./table-dump-messages.ts";
import type { DumpProgress } from "./table-dumper.ts";

/** The outcome of one table in a parallel dump, at the table's index in the list given. */
export type TableOutcome = { readonly modules: readonly WrittenModule[] } | { readonly error: Error };

export interface TableDumpPoolOptions {
  readonly jobs: number;
  readonly setup: WorkerSetup;
  readonly onProgress?: (event: DumpProgress) => void;
  /** Whether a failed table stops the dump (no --tolerate): the other workers are stopped. */
  readonly stopOnError: boolean;
}

/**
 * Dump `tables` with `jobs` worker threads, each with its own connection on the shared
 * snapshot. Every table is written whole by one worker, with the same code as a one-job
 * dump, so the files are the same bytes whatever the number of jobs; the outcomes come
 * back in the order of `tables`, never in completion order. Larger tables (by the
 * introspected row count) are handed out first so that the last to finish is a small one.
 */
export async function dumpTablesInParallel(tables: readonly TableSchema[], options: TableDumpPoolOptions): Promise<TableOutcome[]> {
  const outcomes: (TableOutcome | undefined)[] = new Array(tables.length);
  const queue = tables.map((t, index) => ({ t, index })).sort((a, b) => b.t.rowCount - a.t.rowCount || a.index - b.index);
  const count = Math.max(1, Math.min(options.jobs, tables.length));
  const workers = Array.from({ length: count }, () => startWorker(options.setup));
  const run = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      const next = () => {
        const item = queue.shift();
        if (item === undefined) return post(worker, { type: "close" });
        post(worker, { type: "table", index: item.index, table: item.t });
      };
      worker.on("message", (message: FromWorker) => {
        if (message.type === "ready") next();
        else if (message.type === "progress") options.onProgress?.(message.event);
        else if (message.type === "done" || message.type === "failed") {
          const outcome = message.type === "done" ? { modules: message.modules } : { error: receiveError(message.error) };
          outcomes[message.index] = outcome;
          // Without --tolerate the first failure ends the dump: the other workers are stopped.
          if ("error" in outcome && options.stopOnError) {
            const name = displayName(tables[message.index]!);
            reject(databaseError("READ", `Reading table ${name} failed`, outcome.error, { table: name }));
          } else next();
        } else if (message.type === "fatal") reject(receiveError(message.error));
        else if (message.type === "closed") resolve();
      });
      worker.on("error", reject);
      worker.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`A --jobs worker thread stopped with exit code ${code}.`))));
    });
  try {
    await Promise.all(workers.map(run));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return outcomes.map((o, i) => o ?? { error: new Error(`Table ${tables[i]!.key} was not dumped by any worker.`) });
}

function post(worker: Worker, message: ToWorker): void {
  worker.postMessage(message);
}

/**
 * NOTE: gen-dump runs as TypeScript through tsx's loader, which a worker thread does not
 * inherit; the worker registers it itself before importing its TypeScript entry.
 */
function startWorker(setup: WorkerSetup): Worker {
  const api = import.meta.resolve("tsx/esm/api");
  const entry = new URL("./table-dump-worker.ts", import.meta.url).href;
  const code = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, workerData: setup });
}
