import { join } from "node:path";
import { sha256File } from "../check/checksum-verifier.ts";
import type { DumpModuleEntry } from "../emitter/restore-module-emitter.ts";
import type { TableSchema } from "../model/schema-model.ts";
import type { DumpValue } from "../model/values.ts";
import { DiffCollector, type TableRowDiff } from "./row-diff-collector.ts";
import { type Keyed, type Projector, projector } from "./row-projector.ts";
import type { TablePair } from "./table-matcher.ts";
import { TableRows } from "./table-rows.ts";

export type { RowChange, RowSide, TableRowDiff, ValueChange } from "./row-diff-collector.ts";

/** Where one dump keeps a table's rows. */
export interface DumpSide {
  readonly dir: string;
  readonly modules: readonly DumpModuleEntry[];
}

/**
 * Compare the rows of one table in two dumps, by key, streaming both side by side. A row
 * whose match has not come up yet waits in a map until it does; after a row inserted or
 * deleted, the side that is ahead waits for the other, so the streams fall back in step
 * at once. When both dumps list rows in the same order (the same engine and key order,
 * any split) the maps stay as small as the differences: constant memory. When the
 * orders disagree (another engine's collation, reordered hand edits) they grow up to the
 * table: then it is a hash join, bounded by the size of the table.
 * Modules byte-identical in both dumps are skipped unread when both streams reach them.
 */
export async function diffTableRows(
  pair: TablePair,
  a: DumpSide,
  b: DumpSide,
  options: { readonly exact: boolean; readonly maxChanges: number },
): Promise<TableRowDiff> {
  const merger = new RowMerger(pair, a, b, options.exact, new DiffCollector(pair, options.maxChanges, options.exact));
  return merger.run();
}

class RowMerger {
  private readonly rowsA: TableRows;
  private readonly rowsB: TableRows;
  private readonly projectA: Projector;
  private readonly projectB: Projector;
  private readonly waitingA = new Map<string, Keyed[]>();
  private readonly waitingB = new Map<string, Keyed[]>();
  private readonly bufferA: DumpValue[];
  private readonly bufferB: DumpValue[];
  private readonly skippable: boolean;
  private waiting = 0;

  constructor(
    pair: TablePair,
    private readonly a: DumpSide,
    private readonly b: DumpSide,
    exact: boolean,
    private readonly result: DiffCollector,
  ) {
    this.rowsA = new TableRows(a.dir, pair.a, a.modules);
    this.rowsB = new TableRows(b.dir, pair.b, b.modules);
    this.projectA = projector(pair, exact);
    this.projectB = projector(pair, exact);
    this.bufferA = new Array<DumpValue>(pair.common.length);
    this.bufferB = new Array<DumpValue>(pair.common.length);
    this.skippable = exact && sameLayout(pair.a, pair.b);
  }

  async run(): Promise<TableRowDiff> {
    const { rowsA, rowsB, projectA, projectB, result } = this;
    await this.skipIdenticalModules();
    // NOTE: step() is synchronous; awaiting per row would cost more than comparing it.
    let hasA = rowsA.step() || (await rowsA.refill());
    let hasB = rowsB.step() || (await rowsB.refill());
    while (hasA || hasB) {
      const keyA = hasA ? projectA.key(rowsA) : null;
      const keyB = hasB ? projectB.key(rowsB) : null;
      if (keyA !== null && keyA === keyB) {
        // The common case: compare in place; objects are made only for a change.
        if (result.same(projectA.fill(rowsA, this.bufferA), projectB.fill(rowsB, this.bufferB))) result.unchanged();
        else result.compare(projectA.keyed(rowsA, keyA), projectB.keyed(rowsB, keyB));
        await this.skipIdenticalModules();
        hasA = rowsA.step() || (await rowsA.refill());
        hasB = rowsB.step() || (await rowsB.refill());
        continue;
      }
      // B is ahead (A's row waited for): advance A alone; and the other way round.
      if (keyA !== null && this.take(this.waitingB, keyA, (other) => result.compare(projectA.keyed(rowsA, keyA), other))) {
        hasA = rowsA.step() || (await rowsA.refill());
        continue;
      }
      if (keyB !== null && this.take(this.waitingA, keyB, (other) => result.compare(other, projectB.keyed(rowsB, keyB)))) {
        hasB = rowsB.step() || (await rowsB.refill());
        continue;
      }
      if (keyA !== null) {
        this.park(this.waitingA, projectA.keyed(rowsA, keyA));
        hasA = rowsA.step() || (await rowsA.refill());
      }
      if (keyB !== null) {
        this.park(this.waitingB, projectB.keyed(rowsB, keyB));
        hasB = rowsB.step() || (await rowsB.refill());
      }
    }
    for (const list of this.waitingA.values()) for (const k of list) result.removed(k);
    for (const list of this.waitingB.values()) for (const k of list) result.added(k);
    return result.finish();
  }

  /** Match against a waiting row of the other side, if one has this key. */
  private take(other: Map<string, Keyed[]>, key: string, found: (other: Keyed) => void): boolean {
    const list = other.get(key);
    if (list === undefined) return false;
    const first = list.shift()!;
    if (list.length === 0) other.delete(key);
    this.waiting--;
    found(first);
    return true;
  }

  private park(own: Map<string, Keyed[]>, row: Keyed): void {
    const list = own.get(row.key);
    if (list) list.push(row);
    else own.set(row.key, [row]);
    this.result.peak = Math.max(this.result.peak, ++this.waiting);
  }

  /**
   * Between modules: skip modules that are the same bytes in both dumps. Rows may be
   * waiting (an inserted row stays unmatched to the end): none of them can have its match
   * in such a module, since the same key would then be in its own dump twice; and a table
   * without a key loses nothing by pairing equal rows with each other.
   */
  private async skipIdenticalModules(): Promise<void> {
    const { rowsA, rowsB } = this;
    while (this.skippable && rowsA.exhausted && rowsB.exhausted) {
      await rowsA.settle();
      await rowsB.settle();
      const ma = rowsA.moduleAhead;
      const mb = rowsB.moduleAhead;
      if (ma === null || mb === null || ma.rows !== mb.rows) return;
      if ((await sha256File(join(this.a.dir, ma.file))) !== (await sha256File(join(this.b.dir, mb.file)))) return;
      this.result.identical(ma.rows);
      rowsA.skipModule();
      rowsB.skipModule();
    }
  }
}

/** Whether two dumps write a table's rows the same way (so equal bytes mean equal rows). */
function sameLayout(a: TableSchema, b: TableSchema): boolean {
  const layout = (t: TableSchema) => JSON.stringify([t.key, t.rowidColumn, t.columns.map((c) => [c.name, c.kind, c.generated === null])]);
  return layout(a) === layout(b);
}
