import type { DumpModuleEntry } from "../emitter/restore-module-emitter.ts";
import type { TableSchema } from "../model/schema-model.ts";
import type { DumpRow } from "../model/values.ts";
import { type ModuleBatch, loadDataModule } from "../restore/module-loader.ts";

/** One row of a table as read from a dump, with where it is. */
export interface RowAt {
  readonly row: DumpRow;
  /** 0-based position of the row in the table (across its split modules). */
  readonly ordinal: number;
  readonly file: string;
  /** 1-based line in `file`, when known (null for rows of an imported, hand-edited module). */
  readonly line: number | null;
  /** The columns the row's module names, in order. */
  readonly columns: readonly string[];
}

/**
 * The rows of one table of a dump, streamed module after module in the dump's order,
 * one batch in memory at a time. A cursor: `step()` moves to the next row of the batch
 * in hand without allocating (the diff's hot loop), `refill()` reads the next batch.
 * Between modules it can skip a whole module unread (byte-identical modules).
 */
export class TableRows {
  private moduleIndex = 0;
  private batches: AsyncGenerator<ModuleBatch> | null = null;
  private batch: ModuleBatch | null = null;
  private inBatch = -1;
  private nextOrdinal = 0;

  constructor(
    private readonly dumpDir: string,
    private readonly table: TableSchema,
    private readonly modules: readonly DumpModuleEntry[],
  ) {}

  /** The current row (after `step()` or `refill()` returned true). */
  get row(): DumpRow {
    return this.batch!.rows[this.inBatch]!;
  }

  get columns(): readonly string[] {
    return this.batch!.columns;
  }

  /** The current row, with where it is, as an object that outlives the cursor's position. */
  snapshot(): RowAt {
    const batch = this.batch!;
    return {
      row: batch.rows[this.inBatch]!,
      ordinal: this.nextOrdinal - 1,
      file: this.modules[this.moduleIndex]!.file,
      line: batch.lines === null ? null : batch.lines[this.inBatch]!,
      columns: batch.columns,
    };
  }

  /** Move to the next row of the batch in hand; false when it is used up (then `refill()`). */
  step(): boolean {
    if (this.batch === null || this.inBatch + 1 >= this.batch.rows.length) return false;
    this.inBatch++;
    this.nextOrdinal++;
    return true;
  }

  /** Read on to the next row; false at the end of the table. */
  async refill(): Promise<boolean> {
    for (;;) {
      if (this.step()) return true;
      if (this.batches === null) {
        const module = this.modules[this.moduleIndex];
        if (module === undefined) return false;
        this.batches = loadDataModule(this.dumpDir, module.file, this.table);
      }
      await this.readBatch(this.batches);
    }
  }

  /** Whether the batch in hand is used up and its module may have ended: then `settle()`. */
  get exhausted(): boolean {
    return this.batch === null || this.inBatch + 1 >= this.batch.rows.length;
  }

  /**
   * With the batch in hand used up, find out whether its module has more rows (read the
   * next batch) or has ended (then `moduleAhead` tells which module comes next).
   */
  async settle(): Promise<void> {
    if (!this.exhausted || this.batches === null) return;
    await this.readBatch(this.batches);
  }

  /** The next batch of the module being read; at its end, move on to the next module. */
  private async readBatch(batches: AsyncGenerator<ModuleBatch>): Promise<void> {
    const next = await batches.next();
    if (next.done) {
      this.batches = null;
      this.batch = null;
      this.moduleIndex++;
    } else {
      this.batch = next.value;
      this.inBatch = -1;
    }
  }

  /** The module about to be read, when no row of it has been read yet; else null. */
  get moduleAhead(): DumpModuleEntry | null {
    return this.batches === null && this.exhausted ? (this.modules[this.moduleIndex] ?? null) : null;
  }

  /** Skip the module ahead (see `moduleAhead`); its rows count as read. */
  skipModule(): void {
    const ahead = this.moduleAhead;
    if (ahead === null) throw new Error("skipModule() in the middle of a module");
    this.nextOrdinal += ahead.rows;
    this.moduleIndex++;
    this.batch = null;
  }
}
