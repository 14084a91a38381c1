import type { Worker } from "node:worker_threads";
import { databaseError } from "../errors.ts";
import { displayName } from "../model/schema-model.ts";
import { type DumpTask, type FromWorker, type TaskResult, type ToWorker, type WorkerSetup, receiveError } from "./table-dump-messages.ts";
import type { DumpProgress } from "./table-dumper.ts";
import { startTsWorker } from "./ts-worker.ts";

/** The outcome of one task of a parallel dump. */
export type TaskOutcome = TaskResult | { readonly error: Error };

export interface TableDumpPoolOptions {
  /** Progress of whole-table tasks, as the worker reports it. */
  readonly onProgress?: (event: DumpProgress) => void;
  /** Rows read so far by chunk task `id`. */
  readonly onChunkRows?: (id: number, rows: number) => void;
  /** Task `id` (its index in the list) finished; called in completion order. */
  readonly onOutcome: (id: number, outcome: TaskOutcome) => void;
  /** Whether a failed task stops the dump (no --tolerate): the other workers are stopped. */
  readonly stopOnError: boolean;
  /** Stops the workers and rejects with the signal's reason (a failure in the main thread). */
  readonly signal?: AbortSignal;
}

/** A started worker and the outcome of its start: its source open on the snapshot, or why not. */
interface Started {
  readonly worker: Worker;
  readonly ready: Promise<void>;
}

/**
 * The `--jobs` worker threads of one dump, each with its own connection on the shared
 * snapshot. They are started as soon as the snapshot is shared, before the main thread
 * introspects the database, so that loading their modules and opening their connections
 * (about 0.4 s each) overlaps with it instead of following it.
 */
export class DumpWorkerPool {
  readonly #started: readonly Started[];
  #closed = false;

  private constructor(jobs: number, setup: WorkerSetup) {
    this.#started = Array.from({ length: jobs }, () => start(setup));
  }

  /** Start `jobs` workers on `setup` (its snapshot shared already). */
  static start(jobs: number, setup: WorkerSetup): DumpWorkerPool {
    return new DumpWorkerPool(jobs, setup);
  }

  /**
   * Run `tasks`, handing them out in the order given (the caller puts the largest first, so
   * that the last to finish is a small one). A whole-table task is written by one worker
   * with the same code as a one-job dump; a chunk task leaves a segment for the main
   * thread to stitch. Resolves, when every task is done, with the number of workers that
   * ran at least one task (the connections that read rows); each outcome goes to
   * `onOutcome`. Runs once: the workers are stopped when it ends.
   */
  async run(tasks: readonly DumpTask[], options: TableDumpPoolOptions): Promise<number> {
    const queue = tasks.map((task, id) => ({ task, id }));
    const count = Math.max(1, Math.min(this.#started.length, tasks.length));
    const used = this.#started.slice(0, count);
    let readers = 0;
    const run = ({ worker }: Started) =>
      new Promise<void>((resolve, reject) => {
        let ran = false;
        const next = () => {
          const item = queue.shift();
          if (item !== undefined && !ran) (ran = true), readers++;
          post(worker, item === undefined ? { type: "close" } : { type: "task", id: item.id, task: item.task });
        };
        options.signal?.addEventListener("abort", () => reject(options.signal!.reason), { once: true });
        worker.on("message", (message: FromWorker) => {
          if (message.type === "progress") options.onProgress?.(message.event);
          else if (message.type === "chunk-rows") options.onChunkRows?.(message.id, message.rows);
          else if (message.type === "done" || message.type === "failed") {
            const outcome = message.type === "done" ? message.result : { error: receiveError(message.error) };
            options.onOutcome(message.id, outcome);
            // Without --tolerate the first failure ends the dump: the other workers are stopped.
            if ("error" in outcome && options.stopOnError) {
              const name = displayName(tasks[message.id]!.table);
              reject(databaseError("READ", `Reading table ${name} failed`, outcome.error, { table: name }));
            } else next();
          } else if (message.type === "fatal") reject(receiveError(message.error));
          else if (message.type === "closed") resolve();
        });
        worker.on("error", reject);
        worker.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`A --jobs worker thread stopped with exit code ${code}.`))));
        next();
      });
    try {
      if (options.signal?.aborted) throw options.signal.reason;
      // NOTE: tasks are handed out once every worker is ready, so each gets one while there
      // are enough (a worker that started first would otherwise take the small tasks all).
      await Promise.all(used.map((s) => s.ready));
      await Promise.all(used.map(run));
    } finally {
      await this.close();
    }
    const missing = queue.length > 0 ? queue[0]! : null;
    if (missing !== null) throw new Error(`Table ${missing.task.table.key} was not dumped by any worker.`);
    return readers;
  }

  /** Stop every worker (the dump is over, failed, or found nothing to share out). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all(this.#started.map((s) => s.worker.terminate()));
  }
}

function post(worker: Worker, message: ToWorker): void {
  worker.postMessage(message);
}

/** A worker, and the promise of its first message: "ready", or "fatal" (its source could not be opened). */
function start(setup: WorkerSetup): Started {
  const worker = startTsWorker(new URL("./table-dump-worker.ts", import.meta.url), setup);
  const ready = new Promise<void>((resolve, reject) => {
    worker.once("message", (message: FromWorker) => (message.type === "ready" ? resolve() : message.type === "fatal" ? reject(receiveError(message.error)) : reject(new Error(`A --jobs worker thread sent ${message.type} before it was ready.`))));
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`A --jobs worker thread stopped with exit code ${code} before it was ready.`)));
  });
  // NOTE: a start that fails while the main thread still introspects (or when the pool is
  // never run) must not be an unhandled rejection; `run` awaits it.
  ready.catch(() => undefined);
  return { worker, ready };
}
