import { GenDumpError } from "../errors.ts";
import { displayName } from "../model/schema-model.ts";
import type { DumpValue } from "../model/values.ts";
import { type MigrationOp, type MigrationRow, describeOp, stepError } from "./migration-steps.ts";
import { type ResolvedOp, lookup } from "./schema-transform.ts";

/** A row on its way through the chain: its table (display name at this point) and values. */
export interface RowItem {
  table: string;
  row: Record<string, unknown>;
  /** The last operation that touched it (named when the row turns out not to fit). */
  by: MigrationOp | null;
}

/** Where the source row is, for messages. */
export interface RowOrigin {
  readonly file: string;
  readonly line: number | null;
}

/** Rows in and out of one step, per table (the --simulate report). */
export interface StepCount {
  readonly step: string;
  /** table → rows that entered the step / left it. */
  readonly tables: Map<string, { in: number; out: number }>;
}

/**
 * The row side of a chain: every source row of a table the chain touches goes through
 * the operations in order and comes out as zero or more rows, each naming its table in
 * the final schema. Rows of tables no operation touches skip it (`affects` is false).
 */
export class RowPipeline {
  readonly counts: StepCount[];
  readonly #groups: { readonly step: string; readonly ops: readonly ResolvedOp[] }[] = [];

  constructor(steps: readonly string[], resolved: readonly ResolvedOp[]) {
    for (const step of steps) this.#groups.push({ step, ops: resolved.filter((r) => r.op.step === step) });
    this.counts = steps.map((step) => ({ step, tables: new Map() }));
  }

  /** Whether any operation applies to the rows of `table` (a display name of the source). */
  affects(table: string): boolean {
    return this.#groups.some((g) => g.ops.some((r) => r.target === table));
  }

  /** Count `rows` that pass every step unchanged (a table the chain does not touch). */
  passThrough(table: string, rows: number): void {
    for (const count of this.counts) bump(count.tables, table, rows, rows);
  }

  /** Run one source row through the chain. */
  run(table: string, row: Record<string, unknown>, origin: RowOrigin): RowItem[] {
    let items: RowItem[] = [{ table, row, by: null }];
    for (let g = 0; g < this.#groups.length; g++) {
      const group = this.#groups[g]!;
      const tables = this.counts[g]!.tables;
      for (const item of items) bump(tables, item.table, 1, 0);
      for (const resolved of group.ops) {
        const next: RowItem[] = [];
        for (const item of items) {
          if (item.table !== resolved.target) next.push(item);
          else applyOp(resolved, item, next, origin);
        }
        items = next;
      }
      for (const item of items) bump(tables, item.table, 0, 1);
    }
    return items;
  }
}

function bump(tables: Map<string, { in: number; out: number }>, table: string, rowsIn: number, rowsOut: number): void {
  const entry = tables.get(table);
  if (entry === undefined) tables.set(table, { in: rowsIn, out: rowsOut });
  else {
    entry.in += rowsIn;
    entry.out += rowsOut;
  }
}

function applyOp(resolved: ResolvedOp, item: RowItem, out: RowItem[], origin: RowOrigin): void {
  const { op } = resolved;
  const row = item.row as MigrationRow;
  item.by = op;
  try {
    switch (op.op) {
      case "renameTable":
        item.table = resolved.renamedTo!;
        break;
      case "renameColumn":
        if (op.column in row) {
          row[op.to] = row[op.column]!;
          delete row[op.column];
        }
        break;
      case "dropColumn":
        delete row[op.column];
        break;
      case "addColumn": {
        const value = op.spec.value;
        row[op.column] = (typeof value === "function" ? value(row) : (value ?? null)) as DumpValue;
        break;
      }
      case "changeColumn":
        row[op.column] = op.change(row[op.column] ?? null, row) as DumpValue;
        break;
      case "filterRows":
        if (!op.keep(row)) return;
        break;
      case "dropTable":
        return;
      case "replaceRows":
        for (const produced of produce(resolved, row)) out.push(produced);
        return;
      case "mapRows": {
        const result = op.map(row);
        if (result === null) return;
        item.row = result;
        break;
      }
      case "createTable":
        break;
    }
  } catch (error) {
    if (error instanceof GenDumpError && error.code === "TRANSFORM") throw error;
    throw stepError(op.step, `in ${describeOp(op)} on a row of table ${item.table}`, error, { table: item.table, file: origin.file, ...(origin.line !== null ? { line: origin.line } : {}) });
  }
  out.push(item);
}

function produce(resolved: ResolvedOp, row: MigrationRow): RowItem[] {
  const op = resolved.op as MigrationOp & { op: "replaceRows" };
  const made = op.make(row);
  if (!Array.isArray(made)) throw new Error(`it returned ${typeof made}, not an array of { table, row }.`);
  return made.map((p: { table?: unknown; row?: unknown }, i) => {
    if (typeof p?.table !== "string" || typeof p.row !== "object" || p.row === null) {
      throw new Error(`produced row ${i} is not { table: string, row: object }.`);
    }
    const table = lookup(resolved.scope, p.table);
    if (table === undefined) throw new Error(`produced row ${i} goes to table ${JSON.stringify(p.table)}, which does not exist at this point of the chain (create it first with m.createTable).`);
    return { table: displayName(table), row: { ...(p.row as Record<string, unknown>) }, by: op };
  });
}
