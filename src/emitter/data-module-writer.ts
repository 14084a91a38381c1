import { createHash, type Hash } from "node:crypto";
import { open, rename, rm, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { encodeRow } from "../encoding/literal-encoder.ts";
import type { TableSchema } from "../model/schema-model.ts";
import type { DumpRow, ValueKind } from "../model/values.ts";
import { dataFileName } from "../planner/file-names.ts";
import { type DataModuleFrame, dataModuleFrame } from "./data-module-emitter.ts";

export interface DataModuleWriterOptions {
  /** The dump directory being written (a temporary sibling of OUTPUT_DIR). */
  readonly dir: string;
  readonly table: TableSchema;
  readonly columns: readonly string[];
  readonly kinds: readonly ValueKind[];
  /** At most this many rows per module; more rows start a new part. */
  readonly maxRowCount: number;
}

/** A written data module: path relative to the dump directory, and its row count. */
export interface WrittenModule {
  readonly file: string;
  readonly rows: number;
  /** SHA-256 of the file's bytes, hex, for the dump's checksum manifest. */
  readonly sha256: string;
}

const FLUSH_AT = 1 << 20;

/**
 * Writes one table's rows into data modules as they stream in: one row per line, a new
 * part every `maxRowCount` rows, never an empty trailing part. Holds at most one buffer
 * of encoded text, never the table.
 */
export class DataModuleWriter {
  private readonly frame: DataModuleFrame;
  private readonly written: { file: string; rows: number; sha256: string }[] = [];
  private hash: Hash | undefined;
  private handle: FileHandle | undefined;
  private rowsInPart = 0;
  private buffer = "";

  constructor(private readonly options: DataModuleWriterOptions) {
    this.frame = dataModuleFrame(options.table, options.columns);
  }

  async add(rows: readonly DumpRow[]): Promise<void> {
    const { kinds, maxRowCount } = this.options;
    for (const row of rows) {
      if (this.handle === undefined || this.rowsInPart >= maxRowCount) await this.startPart();
      this.buffer += encodeRow(row, kinds) + "\n";
      this.rowsInPart++;
      if (this.buffer.length >= FLUSH_AT) await this.flush();
    }
  }

  /** Close the last part; a table with one part gets the unnumbered file name. */
  async finish(): Promise<WrittenModule[]> {
    if (this.handle === undefined) await this.startPart();
    await this.closePart();
    if (this.written.length === 1) {
      const single = dataFileName(this.options.table.key, 1, 1);
      await rename(join(this.options.dir, this.written[0]!.file), join(this.options.dir, single));
      this.written[0]!.file = single;
    }
    return this.written.map((m) => ({ ...m }));
  }

  /** Remove whatever this writer wrote (a table that failed under --tolerate). */
  async abort(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    for (const module of this.written) await rm(join(this.options.dir, module.file), { force: true });
  }

  private async startPart(): Promise<void> {
    await this.closePart();
    const file = dataFileName(this.options.table.key, this.written.length + 1, 2);
    this.handle = await open(join(this.options.dir, file), "wx");
    this.written.push({ file, rows: 0, sha256: "" });
    this.hash = createHash("sha256");
    this.rowsInPart = 0;
    this.buffer = this.frame.prefix;
  }

  private async closePart(): Promise<void> {
    if (this.handle === undefined) return;
    this.buffer += this.frame.suffix;
    await this.flush();
    const last = this.written[this.written.length - 1]!;
    last.rows = this.rowsInPart;
    last.sha256 = this.hash!.digest("hex");
    await this.handle.close();
    this.handle = undefined;
  }

  private async flush(): Promise<void> {
    if (this.buffer === "") return;
    this.hash!.update(this.buffer);
    await this.handle!.write(this.buffer);
    this.buffer = "";
  }
}
