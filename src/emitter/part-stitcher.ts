import { type FileHandle, open, rm } from "node:fs/promises";
import { GenDumpError } from "../errors.ts";
import { PartBoundaries, PartPlan } from "../planner/part-boundaries.ts";
import { DataModuleParts, type TableRowsSpec, type WrittenModule } from "./data-module-parts.ts";
import type { ChunkSummary } from "./segment-writer.ts";

const BLOCK = 1 << 20;
const NEWLINE = 0x0a;

export interface PartStitcherOptions extends TableRowsSpec {
  /** The dump directory being written; null with --simulate (modules are planned, not written). */
  readonly dir: string | null;
}

/**
 * Turns the segments of a table read in key-range chunks (`--jobs`) into the very data
 * modules a one-job dump writes: the chunks, added in key order, are walked with the
 * `PartBoundaries` rule (carried from chunk to chunk, from the rows whose key hash may end
 * a part), and each segment's bytes are copied into the parts, cut after the rows the rule
 * ends a part at (found by counting line ends). Frame, hash and the one-module rule for a
 * table of at most `maxRowCount` rows are `DataModuleParts`', as for `DataModuleWriter`.
 * A copied segment is removed.
 */
export class PartStitcher {
  private readonly boundaries: PartBoundaries;
  private readonly parts: DataModuleParts | null;
  private readonly plan: PartPlan | null;

  constructor(options: PartStitcherOptions) {
    const { dir, table, columns, kinds, maxRowCount } = options;
    this.boundaries = new PartBoundaries(table, columns, kinds, maxRowCount);
    this.parts = dir === null ? null : new DataModuleParts({ dir, table, columns, maxRowCount });
    this.plan = dir === null ? new PartPlan(table, columns, kinds, maxRowCount) : null;
  }

  /** The next chunk, in key order. */
  async add(chunk: ChunkSummary): Promise<void> {
    if (this.plan !== null) return this.plan.addChunk(chunk.rows, chunk.hashEnds);
    if (chunk.segment === null) throw new GenDumpError("INTERNAL", "A --jobs chunk came without its segment file.");
    const ends = this.boundaries.endsInChunk(chunk.rows, chunk.hashEnds);
    const handle = await open(chunk.segment, "r");
    try {
      await this.copy(handle, chunk, ends);
    } finally {
      await handle.close();
    }
    await rm(chunk.segment, { force: true });
  }

  async finish(): Promise<WrittenModule[]> {
    if (this.plan !== null) return this.plan.modules().map((m) => ({ ...m, sha256: "" }));
    return this.parts!.finish();
  }

  /** Remove the modules written so far (the table failed). */
  async abort(): Promise<void> {
    await this.parts?.abort();
  }

  /** Copy a segment into the parts, ending one after each row of `ends` (chunk row indexes). */
  private async copy(handle: FileHandle, chunk: ChunkSummary, ends: readonly number[]): Promise<void> {
    const parts = this.parts!;
    const block = Buffer.allocUnsafe(BLOCK);
    let passed = 0; // line ends seen so far (counted up to the last cut only)
    let first = 0; // the chunk's row that starts the current piece
    let e = 0;
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(block, 0, BLOCK, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      const bytes = block.subarray(0, bytesRead);
      let at = 0;
      while (e < ends.length) {
        const found = skipLines(bytes, at, ends[e]! + 1 - passed);
        passed += found.lines;
        if (passed <= ends[e]!) break;
        if (!parts.isOpen) await parts.startPart();
        parts.appendBytes(bytes.subarray(at, found.at), ends[e]! + 1 - first);
        await parts.endPart();
        first = ends[e]! + 1;
        at = found.at;
        e++;
      }
      if (at < bytes.length) {
        if (!parts.isOpen) await parts.startPart();
        parts.appendBytes(bytes.subarray(at), 0);
        if (parts.full) await parts.flush();
      }
    }
    if (total !== chunk.bytes || e < ends.length) {
      throw new GenDumpError("INTERNAL", `A --jobs segment of ${chunk.rows} rows holds ${total} bytes, not ${chunk.bytes}, or fewer lines than rows.`);
    }
    if (chunk.rows > first) parts.appendBytes(EMPTY, chunk.rows - first);
  }
}

const EMPTY = new Uint8Array(0);

/** Past up to `lines` line ends from `at`: where it stopped and how many it passed. */
function skipLines(bytes: Buffer, at: number, lines: number): { at: number; lines: number } {
  let passed = 0;
  while (passed < lines) {
    const nl = bytes.indexOf(NEWLINE, at);
    if (nl < 0) return { at: bytes.length, lines: passed };
    passed++;
    at = nl + 1;
  }
  return { at, lines: passed };
}
