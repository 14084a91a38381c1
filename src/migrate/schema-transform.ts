import { GenDumpError } from "../errors.ts";
import { type DatabaseSchema, type TableSchema, displayName } from "../model/schema-model.ts";
import { type MigrationOp, describeOp } from "./migration-steps.ts";
import { type DraftTable, SchemaDraft } from "./schema-draft.ts";

/** The dump's schema after a chain of steps. */
export interface TransformedSchema {
  readonly schema: DatabaseSchema;
  /** What the reshaping left out (views, triggers, checks of reshaped tables). */
  readonly warnings: readonly string[];
  /** The operations with their tables resolved to display names, for the row pipeline. */
  readonly resolved: readonly ResolvedOp[];
}

/** An operation with its table as a display name (`schema.name` or `name`) at its point of the chain. */
export interface ResolvedOp {
  readonly op: MigrationOp;
  readonly target: string;
  /** renameTable: the new display name. */
  readonly renamedTo?: string;
  /** The tables that exist right after the operation (where produced rows may go). */
  readonly scope: readonly Pick<TableSchema, "schema" | "name" | "key">[];
}

/**
 * Apply the schema side of the operations, in order, checking each against the schema
 * as it is at that point: a table or column that does not exist, or a name already
 * taken, is a TRANSFORM error naming the step and the operation. Pure.
 */
export function transformSchema(source: DatabaseSchema, ops: readonly MigrationOp[]): TransformedSchema {
  const draft = new SchemaDraft(source);
  const resolved: ResolvedOp[] = [];
  for (const op of ops) {
    const target = op.op === "createTable" ? op.table : displayName(findTable(draft.tables, op.table, op));
    applyOp(draft, op);
    const renamedTo = op.op === "renameTable" ? displayName(findTable(draft.tables, op.to, op)) : undefined;
    const scope = draft.tables.map((t) => ({ schema: t.schema, name: t.name, key: t.key }));
    resolved.push({ op, target, ...(renamedTo !== undefined ? { renamedTo } : {}), scope });
  }
  return { schema: draft.result(), warnings: draft.warnings, resolved };
}

function applyOp(draft: SchemaDraft, op: MigrationOp): void {
  const table = () => findTable(draft.tables, op.table, op);
  switch (op.op) {
    case "renameTable":
      if (lookup(draft.tables, op.to) !== undefined) throw opError(op, `a table named ${JSON.stringify(op.to)} already exists`);
      return draft.renameTable(table(), op.to);
    case "renameColumn":
      return draft.renameColumn(newName(columnOf(table(), op.column, op), op.to, op), op.column, op.to);
    case "dropColumn":
      return draft.dropColumn(columnOf(table(), op.column, op), op.column);
    case "addColumn":
      return draft.addColumn(newName(table(), op.column, op), op.column, op.spec);
    case "dropTable":
      return draft.dropTable(table());
    case "createTable":
      return createTable(draft, op);
    case "changeColumn":
      columnOf(table(), op.column, op);
      if (op.type !== undefined) draft.retypeColumn(table(), op.column, op.type);
      return;
    case "filterRows":
    case "replaceRows":
    case "mapRows":
      table();
      return;
  }
}

function createTable(draft: SchemaDraft, op: MigrationOp & { op: "createTable" }): void {
  if (lookup(draft.tables, op.table) !== undefined) throw opError(op, `a table named ${JSON.stringify(op.table)} already exists`);
  const names = Object.keys(op.spec.columns);
  if (names.length === 0) throw opError(op, "a table needs at least one column");
  for (const c of op.spec.primaryKey ?? []) if (!names.includes(c)) throw opError(op, `the primary key names ${JSON.stringify(c)}, which is not one of its columns`);
  const references = new Map<string, DraftTable>();
  for (const [column, ref] of Object.entries(op.spec.references ?? {})) {
    if (!names.includes(column)) throw opError(op, `references names ${JSON.stringify(column)}, which is not one of its columns`);
    const target = lookup(draft.tables, ref.table);
    if (target === undefined) throw opError(op, `column ${column} references table ${JSON.stringify(ref.table)}, which does not exist at this point of the chain`);
    references.set(column, target);
  }
  draft.createTable(op.table, op.spec, references);
}

/** A table by `schema.name` or by name alone when that is unambiguous. */
export function lookup<T extends Pick<TableSchema, "schema" | "name" | "key">>(tables: readonly T[], name: string): T | undefined {
  const exact = tables.find((t) => displayName(t) === name);
  if (exact !== undefined) return exact;
  const byName = tables.filter((t) => t.name === name);
  return byName.length === 1 ? byName[0] : undefined;
}

function findTable(tables: readonly DraftTable[], name: string, op: MigrationOp): DraftTable {
  const table = lookup(tables, name);
  if (table === undefined) {
    const names = tables.map(displayName).join(", ");
    throw opError(op, `there is no table ${JSON.stringify(name)} at this point of the chain (tables: ${names || "none"})`);
  }
  return table;
}

/** `table` when it has `column`, else an error listing its columns. */
function columnOf(table: DraftTable, column: string, op: MigrationOp): DraftTable {
  if (!table.columns.some((c) => c.name === column)) {
    throw opError(op, `table ${displayName(table)} has no column ${JSON.stringify(column)} at this point of the chain (columns: ${table.columns.map((c) => c.name).join(", ")})`);
  }
  return table;
}

/** `table` when it has no column `name` yet. */
function newName(table: DraftTable, name: string, op: MigrationOp): DraftTable {
  if (table.columns.some((c) => c.name === name)) throw opError(op, `table ${displayName(table)} already has a column ${JSON.stringify(name)}`);
  return table;
}

/** A TRANSFORM error about an operation of a step. */
export function opError(op: MigrationOp, reason: string): GenDumpError {
  return new GenDumpError("TRANSFORM", `Migration step ${JSON.stringify(op.step)}, ${describeOp(op)}: ${reason}. Nothing was written to the target.`, { table: op.table });
}
