import { GenDumpError } from "../errors.ts";
import type { NeutralTypeName } from "../model/schema-model.ts";
import type { DumpValue } from "../model/values.ts";

/**
 * The steps API an application's migrations module is written in. A step is a function
 * of a {@link StepBuilder}: it declares operations, it does not run them. gen-dump
 * applies the declared operations to the dump's schema (renamed tables and columns,
 * added columns with their types, new tables) and to every row on its way into the
 * target, in the order they were declared, step after step.
 */

/** A row as steps see it: column name → value (integers are bigint, bytes Uint8Array). */
export type MigrationRow = Record<string, DumpValue>;

/** One produced row of {@link StepBuilder.replaceRows}: the table it goes to and its values. */
export interface ProducedRow {
  readonly table: string;
  readonly row: Record<string, unknown>;
}

/** A new column's definition (for `addColumn` and `createTable`). */
export interface ColumnSpec {
  /** Neutral type; the target engine maps it (text → TEXT / text, integer → INTEGER / bigint). */
  readonly type: NeutralTypeName;
  /** The exact type to declare instead of the mapped one (engine SQL, e.g. `varchar(80)`). */
  readonly declaredType?: string;
  /** Default false: the column may hold NULL. */
  readonly notNull?: boolean;
  /** Default as an SQL expression of the target engine (`'x'`, `0`), for rows loaded later. */
  readonly default?: string;
}

/** `addColumn`'s definition: the column, and the value each loaded row gets. */
export interface AddColumnSpec extends ColumnSpec {
  /** A constant, or a function of the row (after the earlier operations); default null. */
  readonly value?: DumpValue | ((row: MigrationRow) => unknown);
}

/** `createTable`'s definition. */
export interface CreateTableSpec {
  readonly columns: Readonly<Record<string, ColumnSpec>>;
  readonly primaryKey?: readonly string[];
  /** Foreign keys: column → referenced `table` (and its `column`, default its primary key). */
  readonly references?: Readonly<Record<string, { readonly table: string; readonly column?: string }>>;
}

/** A small handle on the target inside the restore transaction, for hooks. */
export interface MigrationDb {
  /** "sqlite" or "postgres": placeholders are `?` for SQLite, `$1, $2…` for PostgreSQL. */
  readonly engine: "sqlite" | "postgres";
  /** Run one statement with parameters. */
  execute(sql: string, params?: readonly unknown[]): Promise<void>;
  /** Run a query and return its rows as objects. */
  query(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
}

export type MigrationHook = (db: MigrationDb) => void | Promise<void>;

/** What a step function receives. Table names are those the data has at that point of the chain. */
export interface StepBuilder {
  renameTable(from: string, to: string): void;
  renameColumn(table: string, from: string, to: string): void;
  dropTable(table: string): void;
  dropColumn(table: string, column: string): void;
  addColumn(table: string, column: string, spec: AddColumnSpec): void;
  /**
   * Replace a column's values: `change(value, row)` returns the new value. With `type`,
   * the column also gets a new definition (a text price becoming integer cents).
   */
  changeColumn(table: string, column: string, change: (value: DumpValue, row: MigrationRow) => unknown, type?: ColumnSpec): void;
  /** Keep only the rows for which `keep(row)` is true. */
  filterRows(table: string, keep: (row: MigrationRow) => boolean): void;
  /**
   * Replace each row of `table` by what `make(row)` returns: zero, one or many rows, in
   * this table or others (split a table, merge two). Lino's `create_*` override.
   */
  replaceRows(table: string, make: (row: MigrationRow) => readonly ProducedRow[]): void;
  createTable(name: string, spec: CreateTableSpec): void;
  /** Run in the transaction after the schema is created, before any row is loaded. */
  beforeLoad(hook: MigrationHook): void;
  /** Run in the transaction after every row is loaded and the indexes are built. */
  afterLoad(hook: MigrationHook): void;
}

export type StepFunction = (m: StepBuilder) => void;

/** The default export of an application's migrations module. */
export interface Migrations {
  /** Every version of the application, oldest first. */
  readonly versions: readonly string[];
  /** The step that upgrades data from the previous version to this one, by version. */
  readonly steps: Readonly<Record<string, StepFunction>>;
}

/** One declared operation, with the step that declared it (for error messages). */
export type MigrationOp = { readonly step: string; readonly index: number } & (
  | { readonly op: "renameTable"; readonly table: string; readonly to: string }
  | { readonly op: "renameColumn"; readonly table: string; readonly column: string; readonly to: string }
  | { readonly op: "dropTable"; readonly table: string }
  | { readonly op: "dropColumn"; readonly table: string; readonly column: string }
  | { readonly op: "addColumn"; readonly table: string; readonly column: string; readonly spec: AddColumnSpec }
  | { readonly op: "changeColumn"; readonly table: string; readonly column: string; readonly change: (value: DumpValue, row: MigrationRow) => unknown; readonly type?: ColumnSpec }
  | { readonly op: "filterRows"; readonly table: string; readonly keep: (row: MigrationRow) => boolean }
  | { readonly op: "replaceRows"; readonly table: string; readonly make: (row: MigrationRow) => readonly ProducedRow[] }
  | { readonly op: "createTable"; readonly table: string; readonly spec: CreateTableSpec }
  | { readonly op: "mapRows"; readonly table: string; readonly map: (row: Record<string, unknown>) => Record<string, unknown> | null }
);

/** The hooks of one step. */
export interface StepHooks {
  readonly step: string;
  readonly beforeLoad: readonly MigrationHook[];
  readonly afterLoad: readonly MigrationHook[];
}

/** A step's declared operations and hooks. */
export interface RecordedStep {
  readonly version: string;
  readonly ops: readonly MigrationOp[];
  readonly hooks: StepHooks;
}

/** Declare an application's migrations (typed identity, checked when gen-dump loads it). */
export function defineMigrations(migrations: Migrations): Migrations {
  return migrations;
}

/** Run a step function against a recording builder; a throw names the step. */
export function recordStep(version: string, fn: StepFunction): RecordedStep {
  const ops: MigrationOp[] = [];
  const before: MigrationHook[] = [];
  const after: MigrationHook[] = [];
  const add = (op: Record<string, unknown>) => ops.push({ ...op, step: version, index: ops.length } as MigrationOp);
  const builder: StepBuilder = {
    renameTable: (table, to) => add({ op: "renameTable", table, to }),
    renameColumn: (table, column, to) => add({ op: "renameColumn", table, column, to }),
    dropTable: (table) => add({ op: "dropTable", table }),
    dropColumn: (table, column) => add({ op: "dropColumn", table, column }),
    addColumn: (table, column, spec) => add({ op: "addColumn", table, column, spec }),
    changeColumn: (table, column, change, type) => add({ op: "changeColumn", table, column, change, ...(type !== undefined ? { type } : {}) }),
    filterRows: (table, keep) => add({ op: "filterRows", table, keep }),
    replaceRows: (table, make) => add({ op: "replaceRows", table, make }),
    createTable: (table, spec) => add({ op: "createTable", table, spec }),
    beforeLoad: (hook) => void before.push(hook),
    afterLoad: (hook) => void after.push(hook),
  };
  try {
    fn(builder);
  } catch (error) {
    throw stepError(version, "declaring its operations", error);
  }
  return { version, ops, hooks: { step: version, beforeLoad: before, afterLoad: after } };
}

/** Describe an operation for messages: `renameColumn("client", "nm")`. */
export function describeOp(op: MigrationOp): string {
  if (op.op === "mapRows") return `transforms[${op.index}] for ${JSON.stringify(op.table)}`;
  const column = "column" in op ? `, ${JSON.stringify(op.column)}` : "";
  return `${op.op}(${JSON.stringify(op.table)}${column})`;
}

/** A TRANSFORM error naming the step (version) and what it was doing. */
export function stepError(step: string, doing: string, error: unknown, context: { table?: string; file?: string; line?: number } = {}): GenDumpError {
  const message = error instanceof Error ? error.message : String(error);
  const reason = /[.!?]$/.test(message) ? message : `${message}.`;
  const at = context.file === undefined ? "" : `${context.file}${context.line === undefined ? "" : `:${context.line}`}: `;
  const label = step === RESTORE_TS_STEP ? "the transforms of restore.ts" : `migration step ${JSON.stringify(step)}`;
  return new GenDumpError("TRANSFORM", `${at}${label} failed ${doing}: ${reason} Nothing was written to the target.`, context, { cause: error });
}

/** The pseudo-step name of restore.ts's one-off transforms (the last step of every chain). */
export const RESTORE_TS_STEP = "restore.ts";
