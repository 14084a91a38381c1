import { type ColumnSchema, type DatabaseSchema, type NeutralTypeName, type TableSchema, dataColumns, displayName } from "../model/schema-model.ts";

/** A column as a diff reports it. */
export interface ColumnSummary {
  readonly column: string;
  /** Declared type, `NOT NULL` added when the column is. */
  readonly type: string;
}

export interface ColumnTypeChange {
  readonly column: string;
  readonly from: string;
  readonly to: string;
}

/** A table present in both dumps, and how its columns compare. */
export interface TablePair {
  readonly name: string;
  readonly a: TableSchema;
  readonly b: TableSchema;
  readonly columnsAdded: readonly ColumnSummary[];
  readonly columnsRemoved: readonly ColumnSummary[];
  readonly columnsChanged: readonly ColumnTypeChange[];
  /** Data columns both dumps carry, in A's order: the values compared. */
  readonly common: readonly string[];
  /** Columns rows are matched on; null: the whole row (a table without a key). */
  readonly key: readonly string[] | null;
  /** Per common column, the type its values are compared as across engines (see `looseText`). */
  readonly looseTypes: readonly NeutralTypeName[];
}

export interface TableMatch {
  readonly pairs: readonly TablePair[];
  readonly added: readonly TableSchema[];
  readonly removed: readonly TableSchema[];
}

/**
 * Pair the tables of two dumps by name. PostgreSQL's default schema `public` and
 * SQLite's single namespace are the same place, so a dump of either engine pairs with a
 * dump of the other. `sameEngine` decides whether a column's type is its declared type
 * (same engine) or its neutral type (across engines, after the type mapping).
 */
export function matchTables(a: DatabaseSchema, b: DatabaseSchema): TableMatch {
  const sameEngine = a.engine === b.engine;
  const inB = new Map(b.tables.map((t) => [identity(t), t]));
  const inA = new Set(a.tables.map(identity));
  const pairs: TablePair[] = [];
  for (const ta of a.tables) {
    const tb = inB.get(identity(ta));
    if (tb) pairs.push(pairTables(ta, tb, sameEngine));
  }
  return {
    pairs,
    added: b.tables.filter((t) => !inA.has(identity(t))),
    removed: a.tables.filter((t) => !inB.has(identity(t))),
  };
}

function identity(table: TableSchema): string {
  return table.schema === null || table.schema === "public" ? JSON.stringify([table.name]) : JSON.stringify([table.schema, table.name]);
}

function pairTables(a: TableSchema, b: TableSchema, sameEngine: boolean): TablePair {
  const colsA = new Map(a.columns.map((c) => [c.name, c]));
  const colsB = new Map(b.columns.map((c) => [c.name, c]));
  const changed: ColumnTypeChange[] = [];
  for (const [name, ca] of colsA) {
    const cb = colsB.get(name);
    if (cb && typeText(ca, sameEngine) !== typeText(cb, sameEngine)) {
      changed.push({ column: name, from: describeType(ca), to: describeType(cb) });
    }
  }
  const dataB = new Set(dataColumns(b));
  const common = dataColumns(a).filter((c) => dataB.has(c));
  return {
    name: displayName(a),
    a,
    b,
    columnsAdded: b.columns.filter((c) => !colsA.has(c.name)).map(summary),
    columnsRemoved: a.columns.filter((c) => !colsB.has(c.name)).map(summary),
    columnsChanged: changed,
    common,
    key: matchingKey(a, b),
    looseTypes: common.map((c) => looseType(colsA.get(c)?.type.name ?? "integer", colsB.get(c)?.type.name ?? "integer")),
  };
}

/** The row identity both dumps share: the rowid, else the primary key, else the whole row. */
function matchingKey(a: TableSchema, b: TableSchema): readonly string[] | null {
  const same = (x: readonly string[] | undefined, y: readonly string[] | undefined) =>
    x !== undefined && y !== undefined && x.length > 0 && x.length === y.length && x.every((c, i) => c === y[i]);
  if (a.rowidColumn !== null && a.rowidColumn === b.rowidColumn) return [a.rowidColumn];
  if (same(a.primaryKey?.columns, b.primaryKey?.columns)) return a.primaryKey!.columns;
  return null;
}

const NUMBERS: ReadonlySet<NeutralTypeName> = new Set(["integer", "real", "numeric"]);

/**
 * What two columns' values are compared as across engines: JSON as data when either side
 * is JSON, numbers by value when either side is numeric (one engine may carry decimal
 * text), else the first side's type.
 */
function looseType(a: NeutralTypeName, b: NeutralTypeName): NeutralTypeName {
  if (a === "json" || a === "jsonb" || b === "json" || b === "jsonb") return "json";
  if (a === "numeric" || b === "numeric") return "numeric";
  if (NUMBERS.has(a)) return a;
  return NUMBERS.has(b) ? b : a;
}

function typeText(column: ColumnSchema, sameEngine: boolean): string {
  const type = sameEngine ? column.declaredType : column.type.name;
  return `${type}${column.nullable ? "" : " NOT NULL"}`;
}

function describeType(column: ColumnSchema): string {
  return `${column.declaredType || column.type.name}${column.nullable ? "" : " NOT NULL"}`;
}

function summary(column: ColumnSchema): ColumnSummary {
  return { column: column.name, type: describeType(column) };
}
