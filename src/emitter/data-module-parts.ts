import { createHash, type Hash } from "node:crypto";
import { open, readFile, rename, rm, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import type { TableSchema } from "../model/schema-model.ts";
import type { ValueKind } from "../model/values.ts";
import { dataFileName } from "../planner/file-names.ts";
import { type DataModuleFrame, dataModuleFrame } from "./data-module-emitter.ts";
import { TextByteBuffer } from "./text-byte-buffer.ts";

/** A written data module: path relative to the dump directory, and its row count. */
export interface WrittenModule {
  readonly file: string;
  readonly rows: number;
  /** SHA-256 of the file's bytes, hex, for the dump's checksum manifest. */
  readonly sha256: string;
}

/** What every writer of a table's row lines needs: the table, its data columns and their kinds, the part size. */
export interface TableRowsSpec {
  readonly table: TableSchema;
  readonly columns: readonly string[];
  readonly kinds: readonly ValueKind[];
  /** At most this many rows per module; a larger table is split where `PartBoundaries` says. */
  readonly maxRowCount: number;
}

export interface DataModulePartsOptions {
  /** The dump directory being written (a temporary sibling of OUTPUT_DIR). */
  readonly dir: string;
  readonly table: TableSchema;
  readonly columns: readonly string[];
  /** A table of at most this many rows ends as one unnumbered module. */
  readonly maxRowCount: number;
}

/**
 * The files of one table's data modules, part after part: the frame around the row
 * lines, the SHA-256 of every byte, and the end rule that a table of at most
 * `maxRowCount` rows is one unnumbered module (parts written before that was known are
 * joined, at most `maxRowCount` rows read back). Where a part ends is the caller's
 * business (`DataModuleWriter` from rows, `PartStitcher` from `--jobs` segments); what the
 * caller appends must be whole row lines, each ending with "\n".
 */
export class DataModuleParts {
  private readonly frame: DataModuleFrame;
  private readonly written: { file: string; rows: number; sha256: string }[] = [];
  private hash: Hash | undefined;
  private handle: FileHandle | undefined;
  private rowsInPart = 0;
  private totalRows = 0;
  private readonly pending = new TextByteBuffer();

  constructor(private readonly options: DataModulePartsOptions) {
    this.frame = dataModuleFrame(options.table, options.columns);
  }

  /** Whether a part is open (else the next rows need `startPart` first). */
  get isOpen(): boolean {
    return this.handle !== undefined;
  }

  /** Whether enough is pending that the caller should `flush`. */
  get full(): boolean {
    return this.pending.full;
  }

  /** Row lines as text, counting `rows` rows into the open part. */
  appendText(text: string, rows: number): void {
    this.pending.append(text);
    this.rowsInPart += rows;
    this.totalRows += rows;
  }

  /** Row lines as UTF-8 bytes (copied), counting `rows` rows into the open part. */
  appendBytes(bytes: Uint8Array, rows: number): void {
    this.pending.appendBytes(bytes);
    this.rowsInPart += rows;
    this.totalRows += rows;
  }

  async startPart(): Promise<void> {
    await this.endPart();
    const file = dataFileName(this.options.table.key, this.written.length + 1, 2);
    this.handle = await open(join(this.options.dir, file), "wx");
    this.written.push({ file, rows: 0, sha256: "" });
    this.hash = createHash("sha256");
    this.rowsInPart = 0;
    this.pending.append(this.frame.prefix);
  }

  /** Close the open part, if any. */
  async endPart(): Promise<void> {
    if (this.handle === undefined) return;
    this.pending.append(this.frame.suffix);
    await this.flush();
    const last = this.written[this.written.length - 1]!;
    last.rows = this.rowsInPart;
    last.sha256 = this.hash!.digest("hex");
    await this.handle.close();
    this.handle = undefined;
  }

  async flush(): Promise<void> {
    await this.pending.flush(this.handle!, this.hash);
  }

  /** Close the last part; a table of at most `maxRowCount` rows becomes one unnumbered module. */
  async finish(): Promise<WrittenModule[]> {
    if (this.handle === undefined && this.written.length === 0) await this.startPart();
    await this.endPart();
    if (this.written.length > 1 && this.totalRows <= this.options.maxRowCount) await this.joinParts();
    else if (this.written.length === 1) {
      const single = dataFileName(this.options.table.key, 1, 1);
      await rename(join(this.options.dir, this.written[0]!.file), join(this.options.dir, single));
      this.written[0]!.file = single;
    }
    return this.written.map((m) => ({ ...m }));
  }

  /** Remove whatever was written (a table that failed under --tolerate). */
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
}
