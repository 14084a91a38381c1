import { DEFAULT_SCHEMA } from "../dialects/registry.ts";
import type { ColumnSchema, DatabaseSchema, NeutralTypeName, SchemaObject, SequenceSchema, TableSchema } from "../model/schema-model.ts";
import { displayName } from "../model/schema-model.ts";
import type { ValueKind } from "../model/values.ts";
import { tableFileStem } from "../planner/file-names.ts";
import type { ColumnSpec, CreateTableSpec } from "./migration-steps.ts";

/** A table being reshaped (the model is readonly; the draft is not). */
export type DraftTable = { -readonly [K in keyof TableSchema]: TableSchema[K] };

/**
 * The dump's schema while the operations of a chain are applied to it. Each method is
 * one operation on already-validated arguments. A table a step renames or reshapes (and
 * a table whose foreign keys point at one) loses its engine-native DDL (`native` becomes
 * empty): the target builds it from the neutral model instead, and what only the native
 * SQL held (checks, triggers, views on it) is left out with a warning.
 */
export class SchemaDraft {
  tables: DraftTable[];
  objects: SchemaObject[];
  sequences: SequenceSchema[];
  readonly warnings: string[] = [];

  constructor(readonly source: DatabaseSchema) {
    this.tables = source.tables.map((t) => ({ ...t }));
    this.objects = [...source.objects];
    this.sequences = [...source.sequences];
  }

  result(): DatabaseSchema {
    return { ...this.source, tables: this.tables, objects: this.objects, sequences: this.sequences };
  }

  renameTable(table: DraftTable, to: string): void {
    this.reshape(table);
    for (const other of this.#referring(table)) {
      other.foreignKeys = other.foreignKeys.map((fk) => (refersTo(fk, other, table) ? { ...fk, refTable: to } : fk));
    }
    table.name = to;
  }

  renameColumn(table: DraftTable, from: string, to: string): void {
    const swap = (names: readonly string[]) => names.map((n) => (n === from ? to : n));
    this.reshape(table);
    table.columns = table.columns.map((c) => (c.name === from ? { ...c, name: to } : c));
    table.primaryKey = table.primaryKey && { ...table.primaryKey, columns: swap(table.primaryKey.columns) };
    table.uniques = table.uniques.map((u) => ({ ...u, columns: swap(u.columns) }));
    table.foreignKeys = table.foreignKeys.map((fk) => ({ ...fk, columns: swap(fk.columns) }));
    table.indexes = table.indexes.map((i) => ({ ...i, sql: null, parts: i.parts.map((p) => (p.column === from ? { ...p, column: to } : p)) }));
    table.orderBy = swap(table.orderBy);
    // Sequences name their owner by table key (which survives renames) and column.
    this.sequences = this.sequences.map((q) => (ownedBy(q, table, from) ? { ...q, ownedBy: { table: table.key, column: to } } : q));
    for (const other of this.#referring(table, from)) {
      other.foreignKeys = other.foreignKeys.map((fk) => (refersTo(fk, other, table) ? { ...fk, refColumns: swap(fk.refColumns) } : fk));
    }
  }

  dropColumn(table: DraftTable, column: string): void {
    const without = <T extends { readonly columns: readonly string[] }>(list: readonly T[]) => list.filter((x) => !x.columns.includes(column));
    this.reshape(table);
    table.columns = table.columns.filter((c) => c.name !== column);
    if (table.primaryKey?.columns.includes(column)) {
      this.warnings.push(`${displayName(table)}: primary key left out (its column ${column} was dropped).`);
      table.primaryKey = null;
    }
    table.uniques = without(table.uniques);
    table.foreignKeys = without(table.foreignKeys);
    table.indexes = table.indexes.filter((i) => !i.parts.some((p) => p.column === column));
    table.orderBy = table.orderBy.filter((c) => c !== column);
    // An identity column's sequence (no statements of its own) goes with it.
    this.sequences = this.sequences.filter((q) => !(ownedBy(q, table, column) && q.sql.length === 0));
    for (const other of this.#referring(table, column)) {
      other.foreignKeys = other.foreignKeys.filter((fk) => !(refersTo(fk, other, table) && fk.refColumns.includes(column)));
    }
  }

  addColumn(table: DraftTable, column: string, spec: ColumnSpec): void {
    this.reshape(table);
    table.columns = [...table.columns, newColumn(column, spec)];
  }

  /** Give a column a new definition (its values are changed by the row side). */
  retypeColumn(table: DraftTable, column: string, spec: ColumnSpec): void {
    this.reshape(table);
    table.columns = table.columns.map((c) => (c.name === column ? newColumn(column, spec) : c));
  }

  dropTable(table: DraftTable): void {
    this.tables = this.tables.filter((t) => t !== table);
    this.objects = this.objects.filter((o) => o.table !== table.name);
    this.sequences = this.sequences.filter((q) => !(ownedBy(q, table) && q.sql.length === 0));
    for (const other of this.#referring(table)) other.foreignKeys = other.foreignKeys.filter((fk) => !refersTo(fk, other, table));
  }

  /** Add a table; `references` are resolved by the caller to existing tables. */
  createTable(name: string, spec: CreateTableSpec, references: ReadonlyMap<string, DraftTable>): void {
    this.tables.push(newTable(name, spec, this.tables, DEFAULT_SCHEMA[this.source.engine], references));
  }

  /** Forget a table's native DDL and the objects only that SQL could recreate. */
  reshape(table: DraftTable): void {
    if (table.native.create.length === 0) return;
    table.native = { create: [], after: [] };
    if (table.checks.length > 0) this.warnings.push(`${displayName(table)}: CHECK constraints left out (the table was reshaped by a migration step).`);
    table.checks = [];
    const tied = this.objects.filter((o) => o.table === table.name && (o.schema ?? null) === (table.schema ?? o.schema ?? null));
    // Indexes on plain columns are rebuilt from the model; the rest is the source's SQL.
    const rebuilt = (o: SchemaObject) => o.kind === "index" && table.indexes.some((i) => i.name === o.name && i.where === null && i.parts.every((p) => p.column !== undefined));
    for (const o of tied.filter((x) => !rebuilt(x))) {
      this.warnings.push(`${displayName(table)}: ${o.kind} ${o.name} left out (the table was reshaped by a migration step; recreate it in an afterLoad hook).`);
    }
    this.objects = this.objects.filter((o) => !tied.includes(o));
  }

  /** Tables with a foreign key to `table` (to `column` of it, when given); each is reshaped. */
  #referring(table: DraftTable, column?: string): DraftTable[] {
    const found = this.tables.filter((other) => other.foreignKeys.some((fk) => refersTo(fk, other, table) && (column === undefined || fk.refColumns.includes(column))));
    for (const other of found) this.reshape(other);
    return found;
  }
}

function ownedBy(sequence: SequenceSchema, table: DraftTable, column?: string): boolean {
  return sequence.ownedBy !== null && sequence.ownedBy.table === table.key && (column === undefined || sequence.ownedBy.column === column);
}

function refersTo(fk: TableSchema["foreignKeys"][number], owner: DraftTable, target: DraftTable): boolean {
  return fk.refTable === target.name && (fk.refSchema ?? owner.schema) === target.schema;
}

const KIND_OF: Readonly<Partial<Record<NeutralTypeName, ValueKind>>> = { integer: "integer", real: "real", boolean: "boolean", text: "text", blob: "blob", any: "any" };

/** A column a step adds: the neutral type, and `declaredType` when the step names one. */
export function newColumn(name: string, spec: ColumnSpec): ColumnSchema {
  return {
    name,
    declaredType: spec.declaredType ?? "",
    type: { name: spec.type, native: spec.declaredType ?? "" },
    kind: KIND_OF[spec.type] ?? "text",
    nullable: spec.notNull !== true,
    default: spec.default ?? null,
    collation: null,
    generated: null,
    identity: null,
    comment: null,
  };
}

function newTable(name: string, spec: CreateTableSpec, tables: readonly DraftTable[], schema: string | null, references: ReadonlyMap<string, DraftTable>): DraftTable {
  const columns = Object.entries(spec.columns).map(([n, c]) => newColumn(n, c));
  const pk = spec.primaryKey ?? [];
  const foreignKeys = [...references].map(([column, target]) => {
    const ref = spec.references![column]!;
    const refColumns = ref.column !== undefined ? [ref.column] : (target.primaryKey?.columns ?? []);
    return { name: null, columns: [column], refSchema: target.schema, refTable: target.name, refColumns, onUpdate: "no action", onDelete: "no action", deferrable: "not deferrable" } as const;
  });
  let key = tableFileStem(schema, name);
  while (tables.some((t) => t.key === key)) key += "_";
  return {
    key,
    schema,
    name,
    columns,
    rowidColumn: null,
    primaryKey: pk.length > 0 ? { name: null, columns: pk } : null,
    uniques: [],
    foreignKeys,
    checks: [],
    indexes: [],
    orderBy: pk.length > 0 ? pk : columns.map((c) => c.name),
    rowCount: 0,
    dataDumped: false,
    comment: null,
    options: {},
    native: { create: [], after: [] },
  };
}
