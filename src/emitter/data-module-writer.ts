import { createHash, type Hash } from "node:crypto";
import { open, readFile, rename, rm, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { encodeRow } from "../encoding/literal-encoder.ts";
import type { TableSchema } from "../model/schema-model.ts";
import type { DumpRow, ValueKind } from "../model/values.ts";
import { dataFileName } from "../planner/file-names.ts";
import { PartBoundaries } from "../planner/part-boundaries.ts";
import { type DataModuleFrame, dataModuleFrame } from "./data-module-emitter.ts";
import { TextByteBuffer } from "./text-byte-buffer.ts";

export interface DataModuleWriterOptions {
  /** The dump directory being written (a temporary sibling of OUTPUT_DIR). */
  readonly dir: string;
  readonly table: TableSchema;
  readonly columns: readonly string[];
  readonly kinds: readonly ValueKind[];
  /** At most this many rows per module; a larger table is split where `PartBoundaries` says. */
  readonly maxRowCount: number;
}

/** A written data module: path relative to the dump directory, and its row count. */
export interface WrittenModule {
  readonly file: string;
  readonly rows: number;
  /** SHA-256 of the file's bytes, hex, for the dump's checksum manifest. */
  readonly sha256: string;
}

/**
 * Writes one table's rows into data modules as they stream in: one row per line, a new
 * part after each boundary `PartBoundaries` finds (content-defined, at most `maxRowCount`
 * rows a part), never an empty trailing part. A table of at most `maxRowCount` rows ends
 * as one unnumbered module: parts written before the end showed that are joined then
 * (at most `maxRowCount` rows read back). Holds at most one buffer of encoded text.
 */
export class DataModuleWriter {
  private readonly frame: DataModuleFrame;
  private readonly written: { file: string; rows: number; sha256: string }[] = [];
  private hash: Hash | undefined;
  private handle: FileHandle | undefined;
  private readonly boundaries: PartBoundaries;
  private rowsInPart = 0;
  private totalRows = 0;
  private readonly pending = new TextByteBuffer();

  constructor(private readonly options: DataModuleWriterOptions) {
    this.frame = dataModuleFrame(options.table, options.columns);
    this.boundaries = new PartBoundaries(options.table, options.columns, options.kinds, options.maxRowCount);
  }

  async add(rows: readonly DumpRow[]): Promise<void> {
    const { kinds } = this.options;
    for (const row of rows) {
      if (this.handle === undefined) await this.startPart();
      this.pending.append(encodeRow(row, kinds) + "\n");
      this.rowsInPart++;
      this.totalRows++;
      // NOTE: the next part starts with the next row, so no trailing part is ever empty.
      if (this.boundaries.endsPart(row)) await this.closePart();
      else if (this.pending.full) await this.flush();
    }
  }

  /** Close the last part; a table of at most `maxRowCount` rows becomes one unnumbered module. */
  async finish(): Promise<WrittenModule[]> {
    if (this.handle === undefined && this.written.length === 0) await this.startPart();
    await this.closePart();
    if (this.written.length > 1 && this.totalRows <= this.options.maxRowCount) await this.joinParts();
    else if (this.written.length === 1) {
      const single = dataFileName(this.options.table.key, 1, 1);
      await rename(join(this.options.dir, this.written[0]!.file), join(this.options.dir, single));
      this.written[0]!.file = single;
    }
    return this.written.map((m) => ({ ...m }));
  }

  /** Remove whatever this writer wrote (a table that failed under --tolerate). */
  async abort(): Promise<void> {
    this.pending.clear();
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    for (const module of this.written) await rm(join(this.options.dir, module.file), { force: true });
  }

  /** Rewrite the parts of a table that turned out to fit one module as that one module. */
  private async joinParts(): Promise<void> {
    const { dir, table } = this.options;
    const [head, tail] = [Buffer.byteLength(this.frame.prefix), Buffer.byteLength(this.frame.suffix)];
    const bodies: Buffer[] = [];
    for (const part of this.written) {
      const bytes = await readFile(join(dir, part.file));
      bodies.push(bytes.subarray(head, bytes.length - tail));
    }
    const joined = Buffer.concat([Buffer.from(this.frame.prefix), ...bodies, Buffer.from(this.frame.suffix)]);
    const single = dataFileName(table.key, 1, 1);
    const handle = await open(join(dir, single), "wx");
    try {
      await handle.write(joined);
    } finally {
      await handle.close();
    }
    const parts = this.written.splice(0, this.written.length, { file: single, rows: this.totalRows, sha256: createHash("sha256").update(joined).digest("hex") });
    for (const part of parts) await rm(join(dir, part.file), { force: true });
  }

  private async startPart(): Promise<void> {
    await this.closePart();
    const file = dataFileName(this.options.table.key, this.written.length + 1, 2);
    this.handle = await open(join(this.options.dir, file), "wx");
    this.written.push({ file, rows: 0, sha256: "" });
    this.hash = createHash("sha256");
    this.rowsInPart = 0;
    this.pending.append(this.frame.prefix);
  }

  private async closePart(): Promise<void> {
    if (this.handle === undefined) return;
    this.pending.append(this.frame.suffix);
    await this.flush();
    const last = this.written[this.written.length - 1]!;
    last.rows = this.rowsInPart;
    last.sha256 = this.hash!.digest("hex");
    await this.handle.close();
    this.handle = undefined;
  }

  private async flush(): Promise<void> {
    await this.pending.flush(this.handle!, this.hash!);
  }
}
