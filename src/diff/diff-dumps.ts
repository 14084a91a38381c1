import { existsSync, statSync } from "node:fs";
import { GenDumpError } from "../errors.ts";
import { type TableSchema, displayName } from "../model/schema-model.ts";
import { type DumpDirectory, readDumpDirectory } from "../restore/dump-directory.ts";
import { type TableRowDiff, diffTableRows } from "./row-differ.ts";
import { type ColumnSummary, type ColumnTypeChange, type TablePair, matchTables } from "./table-matcher.ts";

/** Options of `diffDumps()`; `gen-dump diff` flags map onto these. */
export interface DiffOptions {
  /**
   * `exact`: values must keep their storage class (INTEGER 1 ≠ REAL 1.0); `loose`: values
   * are compared after the cross-engine type mapping (SQLite 1 = PostgreSQL true in a
   * boolean column). Default: exact for two dumps of the same engine, loose across engines.
   */
  readonly equality?: "exact" | "loose";
  /** Row changes kept per table for the report (counts are always complete). Default: all. */
  readonly maxChanges?: number;
}

/** What differs between two dumps. */
export interface DumpDiff {
  readonly a: string;
  readonly b: string;
  readonly engines: { readonly a: string; readonly b: string };
  readonly equality: "exact" | "loose";
  /** True when no table, column or row differs. */
  readonly equal: boolean;
  readonly tablesAdded: readonly { readonly table: string; readonly rows: number }[];
  readonly tablesRemoved: readonly { readonly table: string; readonly rows: number }[];
  /** Every table in both dumps, in A's order. */
  readonly tables: readonly TableDiff[];
}

/** One table in both dumps: its structural changes, and its rows' (see {@link TableRowDiff}). */
export interface TableDiff extends TableRowDiff {
  readonly table: string;
  /** Columns rows were matched on; null: the whole row (a table without a key). */
  readonly key: readonly string[] | null;
  readonly columnsAdded: readonly ColumnSummary[];
  readonly columnsRemoved: readonly ColumnSummary[];
  readonly columnsChanged: readonly ColumnTypeChange[];
}

/**
 * Compare two dumps by primary key, whatever file each row is in: tables added or
 * removed, columns added, removed or changed in type, rows added, removed or changed
 * (with the changed values). Streams every table; see `diffTableRows` for memory.
 */
export async function diffDumps(a: string, b: string, options: DiffOptions = {}): Promise<DumpDiff> {
  const [da, db] = [await open(a), await open(b)];
  const equality = options.equality ?? (da.schema.engine === db.schema.engine ? "exact" : "loose");
  const match = matchTables(da.schema, db.schema);
  const tables: TableDiff[] = [];
  for (const pair of match.pairs) tables.push(await diffTable(pair, da, db, equality === "exact", options.maxChanges ?? Infinity));
  const rowsOf = (d: DumpDirectory, t: TableSchema) => d.dump.modules.filter((m) => m.table === t.key).reduce((n, m) => n + m.rows, 0);
  const tablesAdded = match.added.map((t) => ({ table: displayName(t), rows: rowsOf(db, t) }));
  const tablesRemoved = match.removed.map((t) => ({ table: displayName(t), rows: rowsOf(da, t) }));
  const equal = tablesAdded.length === 0 && tablesRemoved.length === 0 && tables.every(tableEqual);
  return { a, b, engines: { a: da.schema.engine, b: db.schema.engine }, equality, equal, tablesAdded, tablesRemoved, tables };
}

/** Whether a table is the same in both dumps. */
export function tableEqual(t: TableDiff): boolean {
  return t.columnsAdded.length + t.columnsRemoved.length + t.columnsChanged.length + t.added + t.removed + t.changed === 0;
}

async function open(dir: string): Promise<DumpDirectory> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new GenDumpError("USAGE", `${dir} is not a directory; give two gen-dump dump directories (where restore.ts is).`);
  }
  return readDumpDirectory(dir);
}

async function diffTable(pair: TablePair, a: DumpDirectory, b: DumpDirectory, exact: boolean, maxChanges: number): Promise<TableDiff> {
  const modules = (d: DumpDirectory, t: TableSchema) => d.dump.modules.filter((m) => m.table === t.key);
  const rows = await diffTableRows(pair, { dir: a.dir, modules: modules(a, pair.a) }, { dir: b.dir, modules: modules(b, pair.b) }, { exact, maxChanges });
  return {
    table: pair.name,
    key: pair.key,
    columnsAdded: pair.columnsAdded,
    columnsRemoved: pair.columnsRemoved,
    columnsChanged: pair.columnsChanged,
    rowsA: rows.rowsA,
    rowsB: rows.rowsB,
    added: rows.added,
    removed: rows.removed,
    changed: rows.changed,
    changes: rows.changes,
    peakUnmatched: rows.peakUnmatched,
    identicalModules: rows.identicalModules,
  };
}
