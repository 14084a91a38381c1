import { type FileHandle, open, rm } from "node:fs/promises";
import { encodeRow } from "../encoding/literal-encoder.ts";
import type { EncodedRows } from "../dialects/dialect.ts";
import type { DumpRow } from "../model/values.ts";
import { PartBoundaries } from "../planner/part-boundaries.ts";
import type { TableRowsSpec } from "./data-module-parts.ts";
import { TextByteBuffer } from "./text-byte-buffer.ts";

/**
 * One key range of a table as a `--jobs` worker left it: its rows, and which of them may
 * end a part (all `PartStitcher` needs to cut the parts exactly where a one-job dump does).
 */
export interface ChunkSummary {
  /** The segment file (absolute path): the rows' lines as `DataModuleWriter` writes them; null with --simulate. */
  readonly segment: string | null;
  readonly rows: number;
  /** Bytes in the segment. */
  readonly bytes: number;
  /** Indexes (0-based, ascending) of the rows whose key hash may end a part (`PartBoundaries.hashEnds`). */
  readonly hashEnds: readonly number[];
}

export interface SegmentWriterOptions extends TableRowsSpec {
  /** Where to write the segment (created; must not exist); null to only count (--simulate). */
  readonly path: string | null;
}

/**
 * Writes one chunk of a table's rows into a segment file: each row encoded exactly as
 * `DataModuleWriter` encodes it, one line each, with no frame; notes the rows whose key
 * hash may end a part. Holds at most one buffer of encoded text.
 */
export class SegmentWriter {
  private readonly boundaries: PartBoundaries;
  private readonly pending = new TextByteBuffer();
  private readonly hashEnds: number[] = [];
  private rows = 0;
  private bytes = 0;

  private constructor(
    private readonly options: SegmentWriterOptions,
    private handle: FileHandle | null,
  ) {
    this.boundaries = new PartBoundaries(options.table, options.columns, options.kinds, options.maxRowCount);
  }

  static async create(options: SegmentWriterOptions): Promise<SegmentWriter> {
    return new SegmentWriter(options, options.path === null ? null : await open(options.path, "wx"));
  }

  async add(rows: readonly DumpRow[]): Promise<void> {
    const { kinds } = this.options;
    for (const row of rows) {
      if (this.boundaries.hashEnds(row)) this.hashEnds.push(this.rows);
      this.rows++;
      if (this.handle === null) continue;
      this.pending.append(encodeRow(row, kinds) + "\n");
      if (this.pending.full) await this.flush();
    }
  }

  /** Rows a source already encoded (`SourceConnection.readEncodedRows`, keys as `keyColumns` says). */
  async addEncoded(batch: EncodedRows): Promise<void> {
    const { bytes, lineEnds, keySpans } = batch;
    const spanStep = 2 * this.boundaries.keyColumns.length;
    for (let r = 0; r < batch.rows; r++) {
      if (this.boundaries.hashEndsWithHash(this.boundaries.keyHashOfEncoded(bytes, keySpans, r * spanStep))) this.hashEnds.push(this.rows);
      this.rows++;
    }
    if (this.handle === null || batch.rows === 0) return;
    this.pending.appendBytes(bytes.subarray(0, lineEnds[batch.rows - 1]!));
    if (this.pending.full) await this.flush();
  }

  /** The key columns `addEncoded` needs spans of. */
  get keyColumns(): readonly number[] {
    return this.boundaries.keyColumns;
  }

  async finish(): Promise<ChunkSummary> {
    if (this.handle !== null) {
      await this.flush();
      await this.handle.close();
      this.handle = null;
    }
    return { segment: this.options.path, rows: this.rows, bytes: this.bytes, hashEnds: this.hashEnds };
  }

  /** Close and remove the segment (the chunk failed). */
  async abort(): Promise<void> {
    this.pending.clear();
    await this.handle?.close().catch(() => undefined);
    this.handle = null;
    if (this.options.path !== null) await rm(this.options.path, { force: true });
  }

  private async flush(): Promise<void> {
    this.bytes += this.pending.pendingBytes;
    await this.pending.flush(this.handle!);
  }
}
