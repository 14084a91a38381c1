import { encodeRow, encodeValue } from "../encoding/literal-encoder.ts";
import type { TableSchema } from "../model/schema-model.ts";
import type { DumpValue, ValueKind } from "../model/values.ts";
import { type Keyed, sameValue } from "./row-projector.ts";
import type { TablePair } from "./table-matcher.ts";
import type { RowAt } from "./table-rows.ts";
import { looseText } from "./value-key.ts";

/** One side of a row change: where the row is and its line as the encoder writes it. */
export interface RowSide {
  readonly file: string;
  readonly line: number | null;
  readonly text: string;
}

/** A changed value, both sides as literals of their own dump. */
export interface ValueChange {
  readonly column: string;
  readonly old: string;
  readonly new: string;
}

export interface RowChange {
  readonly change: "added" | "removed" | "changed";
  /** The key columns and their values as literals (every compared column for a table without a key). */
  readonly key: Readonly<Record<string, string>>;
  readonly a: RowSide | null;
  readonly b: RowSide | null;
  /** For `changed`: the columns whose values differ. */
  readonly columns: readonly ValueChange[];
}

export interface TableRowDiff {
  readonly rowsA: number;
  readonly rowsB: number;
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  /** The changes, in table order (at most `maxChanges`). */
  readonly changes: readonly RowChange[];
  /** Most rows ever held waiting for their match: small when both dumps list rows in the same order. */
  readonly peakUnmatched: number;
  /** Modules skipped unread because they were byte-identical in both dumps. */
  readonly identicalModules: number;
}

/** Counts a table's row differences and keeps the first `maxChanges` of them in detail. */
export class DiffCollector {
  peak = 0;
  /** Changes with their place in the table (A's ordinal, B's for added rows), to sort. */
  private readonly changes: { readonly change: RowChange; readonly at: number }[] = [];
  private readonly counts = { rowsA: 0, rowsB: 0, added: 0, removed: 0, changed: 0 };
  private identicalModules = 0;

  constructor(
    private readonly pair: TablePair,
    private readonly maxChanges: number,
    private readonly exact: boolean,
  ) {}

  /** Whether two rows' compared values are all the same. */
  same(a: readonly DumpValue[], b: readonly DumpValue[]): boolean {
    for (let i = 0; i < a.length; i++) if (!this.sameAt(a[i]!, b[i]!, i)) return false;
    return true;
  }

  /** A pair of rows found equal. */
  unchanged(): void {
    this.counts.rowsA++;
    this.counts.rowsB++;
  }

  private sameAt(a: DumpValue, b: DumpValue, i: number): boolean {
    if (sameValue(a, b)) return true;
    return !this.exact && looseText(a, this.pair.looseTypes[i]!) === looseText(b, this.pair.looseTypes[i]!);
  }

  /** Two rows with the same key: count them, and keep what differs. */
  compare(a: Keyed, b: Keyed): void {
    this.counts.rowsA++;
    this.counts.rowsB++;
    let differing: number[] | undefined;
    for (let i = 0; i < a.values.length; i++) {
      if (!this.sameAt(a.values[i]!, b.values[i]!, i)) (differing ??= []).push(i);
    }
    if (differing === undefined) return;
    this.counts.changed++;
    if (this.changes.length >= this.maxChanges) return;
    const columns = differing.map((i) => {
      const column = this.pair.common[i]!;
      return { column, old: literal(this.pair.a, a.at, column), new: literal(this.pair.b, b.at, column) };
    });
    const change: RowChange = { change: "changed", key: this.key(this.pair.a, a.at), a: side(this.pair.a, a.at), b: side(this.pair.b, b.at), columns };
    this.changes.push({ change, at: a.at.ordinal });
  }

  /** A module byte-identical in both dumps, skipped unread. */
  identical(rows: number): void {
    this.counts.rowsA += rows;
    this.counts.rowsB += rows;
    this.identicalModules++;
  }

  /** A row of A that B does not have. */
  removed(row: Keyed): void {
    this.counts.rowsA++;
    this.counts.removed++;
    if (this.changes.length < this.maxChanges) {
      const change: RowChange = { change: "removed", key: this.key(this.pair.a, row.at), a: side(this.pair.a, row.at), b: null, columns: [] };
      this.changes.push({ change, at: row.at.ordinal });
    }
  }

  /** A row of B that A does not have. */
  added(row: Keyed): void {
    this.counts.rowsB++;
    this.counts.added++;
    if (this.changes.length < this.maxChanges) {
      const change: RowChange = { change: "added", key: this.key(this.pair.b, row.at), a: null, b: side(this.pair.b, row.at), columns: [] };
      this.changes.push({ change, at: row.at.ordinal });
    }
  }

  finish(): TableRowDiff {
    // Array.prototype.sort is stable: at one place, a removed row stays before an added one.
    const changes = this.changes.sort((x, y) => x.at - y.at).map((c) => c.change);
    return { ...this.counts, changes, peakUnmatched: this.peak, identicalModules: this.identicalModules };
  }

  private key(table: TableSchema, at: RowAt): Record<string, string> {
    const columns = this.pair.key ?? this.pair.common;
    return Object.fromEntries(columns.map((c) => [c, literal(table, at, c)]));
  }
}

function kindOf(table: TableSchema, column: string): ValueKind {
  if (column === table.rowidColumn) return "integer";
  return table.columns.find((c) => c.name === column)?.kind ?? "any";
}

function literal(table: TableSchema, at: RowAt, column: string): string {
  const i = at.columns.indexOf(column);
  return encodeValue((i < 0 ? null : at.row[i]) as DumpValue, kindOf(table, column));
}

function side(table: TableSchema, at: RowAt): RowSide {
  return { file: at.file, line: at.line, text: encodeRow(at.row, at.columns.map((c) => kindOf(table, c))) };
}
