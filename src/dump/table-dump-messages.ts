import type { DatabaseUrl, KeyRange, TableSelection } from "../dialects/dialect.ts";
import type { WrittenModule } from "../emitter/data-module-writer.ts";
import type { ChunkSummary } from "../emitter/segment-writer.ts";
import { type ErrorCode, type ErrorContext, GenDumpError } from "../errors.ts";
import type { TableSchema } from "../model/schema-model.ts";
import type { DumpProgress } from "./table-dumper.ts";

/** What a `--jobs` worker is told when it starts (its `workerData`). */
export interface WorkerSetup {
  readonly url: DatabaseUrl;
  readonly selection: TableSelection | undefined;
  /** The main source's shared snapshot token. */
  readonly snapshot: string;
  readonly dir: string;
  readonly maxRowCount: number;
  readonly simulate: boolean;
}

/**
 * One piece of work of a `--jobs` dump: a whole table (written into its modules), or one
 * key range of a big table (written into a segment file, stitched later by the main thread).
 */
export type DumpTask =
  | { readonly kind: "table"; readonly table: TableSchema }
  | { readonly kind: "chunk"; readonly table: TableSchema; readonly range: KeyRange; /** Absolute path, unused with --simulate. */ readonly segment: string };

/** What a task left: a table's modules, or a chunk's segment. */
export type TaskResult = { readonly modules: readonly WrittenModule[] } | { readonly chunk: ChunkSummary };

/** Main → worker. */
export type ToWorker = { readonly type: "task"; readonly id: number; readonly task: DumpTask } | { readonly type: "close" };

/** Worker → main. */
export type FromWorker =
  | { readonly type: "ready" }
  | { readonly type: "progress"; readonly event: DumpProgress }
  /** Rows of chunk task `id` read so far. */
  | { readonly type: "chunk-rows"; readonly id: number; readonly rows: number }
  | { readonly type: "done"; readonly id: number; readonly result: TaskResult }
  | { readonly type: "failed"; readonly id: number; readonly error: SentError }
  | { readonly type: "fatal"; readonly error: SentError }
  | { readonly type: "closed" };

/** An error as it crosses the thread boundary: enough to rebuild the same message. */
export interface SentError {
  readonly message: string;
  readonly genDumpCode?: ErrorCode;
  readonly context?: ErrorContext;
  /** A driver's error code (SQLSTATE, SQLITE_...), kept for hints. */
  readonly code?: string;
}

export function sendError(error: unknown): SentError {
  if (error instanceof GenDumpError) return { message: error.message, genDumpCode: error.code, context: { ...error.context } };
  const code = (error as { code?: unknown } | null)?.code;
  return { message: error instanceof Error ? error.message : String(error), ...(typeof code === "string" ? { code } : {}) };
}

export function receiveError(sent: SentError): Error {
  if (sent.genDumpCode !== undefined) return new GenDumpError(sent.genDumpCode, sent.message, sent.context ?? {});
  return Object.assign(new Error(sent.message), sent.code === undefined ? {} : { code: sent.code });
}
