import type { WrittenModule } from "../emitter/data-module-parts.ts";
import { PartStitcher } from "../emitter/part-stitcher.ts";
import type { ChunkSummary } from "../emitter/segment-writer.ts";
import { type TableSchema, dataColumns, dataKinds, displayName } from "../model/schema-model.ts";
import type { DumpProgress } from "./table-dumper.ts";

export interface ChunkedTableDumpOptions {
  readonly table: TableSchema;
  readonly chunks: number;
  readonly estimate: number;
  /** The dump directory being written; null with --simulate. */
  readonly dir: string | null;
  readonly maxRowCount: number;
  readonly onProgress?: (event: DumpProgress) => void;
}

interface Pending {
  readonly promise: Promise<ChunkSummary>;
  resolve(summary: ChunkSummary): void;
  reject(error: Error): void;
}

/**
 * The main thread's side of one table read in key-range chunks by `--jobs` workers: the
 * chunks finish in any order, `run` stitches them in key order as soon as each one and
 * those before it are there (while the workers read the later ones), and reports the
 * table's progress as one table (the rows of all its chunks). A failed chunk fails the
 * table: the modules stitched so far are removed.
 */
export class ChunkedTableDump {
  private readonly pending: Pending[];
  private readonly rowsByChunk: number[];
  private readonly name: string;

  constructor(private readonly options: ChunkedTableDumpOptions) {
    this.name = displayName(options.table);
    this.rowsByChunk = new Array<number>(options.chunks).fill(0);
    this.pending = Array.from({ length: options.chunks }, () => {
      let resolve!: (summary: ChunkSummary) => void;
      let reject!: (error: Error) => void;
      const promise = new Promise<ChunkSummary>((res, rej) => ((resolve = res), (reject = rej)));
      // NOTE: a chunk that fails after `run` gave up must not be an unhandled rejection.
      promise.catch(() => undefined);
      return { promise, resolve, reject };
    });
  }

  get table(): TableSchema {
    return this.options.table;
  }

  chunkRows(chunk: number, rows: number): void {
    this.rowsByChunk[chunk] = rows;
    this.options.onProgress?.({ type: "rows", table: this.name, rows: this.rowsByChunk.reduce((a, b) => a + b, 0) });
  }

  chunkDone(chunk: number, summary: ChunkSummary): void {
    this.pending[chunk]!.resolve(summary);
  }

  /** Chunk `chunk` failed, or the dump stopped: `run` stops at the next chunk it waits for. */
  fail(error: Error): void {
    for (const p of this.pending) p.reject(error);
  }

  /** Stitch the chunks, in key order, into the table's modules. */
  async run(): Promise<WrittenModule[]> {
    const { table, dir, maxRowCount, onProgress } = this.options;
    onProgress?.({ type: "table-start", table: this.name, estimate: this.options.estimate });
    const columns = dataColumns(table);
    const stitcher = new PartStitcher({ dir, table, columns, kinds: dataKinds(table, columns), maxRowCount });
    let rows = 0;
    try {
      for (const p of this.pending) {
        const summary = await p.promise;
        await stitcher.add(summary);
        rows += summary.rows;
      }
      const modules = await stitcher.finish();
      onProgress?.({ type: "table-done", table: this.name, rows });
      return modules;
    } catch (error) {
      await stitcher.abort();
      throw error;
    }
  }
}
