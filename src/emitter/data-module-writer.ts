import { encodeRow } from "../encoding/literal-encoder.ts";
import type { EncodedRows } from "../dialects/dialect.ts";
import type { DumpRow } from "../model/values.ts";
import { PartBoundaries } from "../planner/part-boundaries.ts";
import { DataModuleParts, type TableRowsSpec, type WrittenModule } from "./data-module-parts.ts";

export type { WrittenModule } from "./data-module-parts.ts";

export interface DataModuleWriterOptions extends TableRowsSpec {
  /** The dump directory being written (a temporary sibling of OUTPUT_DIR). */
  readonly dir: string;
}

/**
 * Writes one table's rows into data modules as they stream in: one row per line, a new
 * part after each boundary `PartBoundaries` finds (content-defined, at most `maxRowCount`
 * rows a part), never an empty trailing part. A table of at most `maxRowCount` rows ends
 * as one unnumbered module (`DataModuleParts`). Holds at most one buffer of encoded text.
 */
export class DataModuleWriter {
  private readonly parts: DataModuleParts;
  private readonly boundaries: PartBoundaries;

  constructor(private readonly options: DataModuleWriterOptions) {
    this.parts = new DataModuleParts(options);
    this.boundaries = new PartBoundaries(options.table, options.columns, options.kinds, options.maxRowCount);
  }

  async add(rows: readonly DumpRow[]): Promise<void> {
    const { kinds } = this.options;
    const parts = this.parts;
    for (const row of rows) {
      if (!parts.isOpen) await parts.startPart();
      parts.appendText(encodeRow(row, kinds) + "\n", 1);
      // NOTE: the next part starts with the next row, so no trailing part is ever empty.
      if (this.boundaries.endsPart(row)) await parts.endPart();
      else if (parts.full) await parts.flush();
    }
  }

  /** The key columns `addEncoded` needs spans of. */
  get keyColumns(): readonly number[] {
    return this.boundaries.keyColumns;
  }

  /** Rows a source already encoded (`SourceConnection.readEncodedRows`, keys as `keyColumns` says). */
  async addEncoded(batch: EncodedRows): Promise<void> {
    const { bytes, lineEnds, keySpans } = batch;
    const parts = this.parts;
    const spanStep = 2 * this.boundaries.keyColumns.length;
    let from = 0; // start of the rows not yet appended
    let first = 0; // their first row
    for (let r = 0; r < batch.rows; r++) {
      if (!parts.isOpen) await parts.startPart();
      if (this.boundaries.endsPartWithHash(this.boundaries.keyHashOfEncoded(bytes, keySpans, r * spanStep))) {
        const end = lineEnds[r]!;
        parts.appendBytes(bytes.subarray(from, end), r + 1 - first);
        from = end;
        first = r + 1;
        await parts.endPart();
      }
    }
    if (first < batch.rows) {
      parts.appendBytes(bytes.subarray(from, lineEnds[batch.rows - 1]!), batch.rows - first);
      if (parts.full) await parts.flush();
    }
  }

  /** Close the last part; a table of at most `maxRowCount` rows becomes one unnumbered module. */
  finish(): Promise<WrittenModule[]> {
    return this.parts.finish();
  }

  /** Remove whatever this writer wrote (a table that failed under --tolerate). */
  abort(): Promise<void> {
    return this.parts.abort();
  }
}
