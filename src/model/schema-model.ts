import type { ValueKind } from "./values.ts";

/**
 * The neutral schema model: what introspection produces, what the dump's schema module
 * records, and what a target dialect recreates. Engine-free and readonly; everything an
 * engine needs to recreate its own objects exactly travels in `native` (the original
 * SQL for SQLite, catalog-generated DDL for PostgreSQL), which other engines ignore.
 *
 * It is plain JSON data (no bigint, no class instances) so that it can be written
 * into `schema.ts` and read back unchanged.
 */
export interface DatabaseSchema {
  /** The engine the dump was taken from. */
  readonly engine: EngineName;
  /** Tables in dump order (sorted by schema, then name, code-point order). */
  readonly tables: readonly TableSchema[];
  /** Views, triggers, standalone indexes and other objects created after the data. */
  readonly objects: readonly SchemaObject[];
  /** Types the tables use (PostgreSQL enums, domains, composites, ranges). */
  readonly types: readonly TypeSchema[];
  /** Sequences with their state (PostgreSQL; SQLite AUTOINCREMENT counters live on the table). */
  readonly sequences: readonly SequenceSchema[];
  /** Namespaces other than the default one, in order. */
  readonly schemas: readonly string[];
  /** Engine-wide settings: SQLite user_version, application_id, encoding; PostgreSQL encoding. */
  readonly settings: Readonly<Record<string, string | number>>;
}

export type EngineName = "sqlite" | "postgres";

/** A table and its constraints. */
export interface TableSchema {
  /** Stable key of the table inside the dump: also the stem of its module file names. */
  readonly key: string;
  /** Namespace: `null` for SQLite's main database. */
  readonly schema: string | null;
  readonly name: string;
  /** Columns in ordinal order (generated columns included, flagged). */
  readonly columns: readonly ColumnSchema[];
  /**
   * Name of the hidden rowid column the data modules carry first (SQLite rowid tables
   * without an INTEGER PRIMARY KEY), or null.
   */
  readonly rowidColumn: string | null;
  readonly primaryKey: ConstraintSchema | null;
  readonly uniques: readonly ConstraintSchema[];
  readonly foreignKeys: readonly ForeignKeySchema[];
  readonly checks: readonly CheckSchema[];
  readonly indexes: readonly IndexSchema[];
  /** Columns the rows are ordered by in the dump (primary key, else all columns). */
  readonly orderBy: readonly string[];
  /** Number of rows at dump time (filled in by the dump). */
  readonly rowCount: number;
  /** Whether the rows were dumped (false for --exclude-table-data). */
  readonly dataDumped: boolean;
  readonly comment: string | null;
  /** Engine facts: SQLite `withoutRowid`, `strict`, `autoincrement` (sqlite_sequence value). */
  readonly options: Readonly<Record<string, string | number | boolean | null>>;
  /** How the table's own engine recreates it exactly (statements run before the data). */
  readonly native: NativeDdl;
}

/** One column. */
export interface ColumnSchema {
  readonly name: string;
  /** The type as declared (`VARCHAR(20)`, `numeric(10,2)`, `public.mood[]`, or `""`). */
  readonly declaredType: string;
  /** The normalized, engine-neutral type used for cross-engine mapping and diffs. */
  readonly type: NeutralType;
  /** What kind of literal the data modules use for this column. */
  readonly kind: ValueKind;
  readonly nullable: boolean;
  /** Default as an SQL expression in the source dialect, or null. */
  readonly default: string | null;
  readonly collation: string | null;
  /** Generated column: not dumped as data; recomputed by the target. */
  readonly generated: { readonly expression: string; readonly stored: boolean } | null;
  /**
   * A column the engine fills when a row leaves it out: a PostgreSQL identity column, or
   * SQLite's INTEGER PRIMARY KEY (the rowid itself), which is "by default".
   */
  readonly identity: "always" | "by default" | null;
  readonly comment: string | null;
}

/**
 * The normalized type. `name` is one of the neutral names below; `params` keeps
 * length/precision/scale; `element` is set for arrays; `native` is the source type name.
 */
export interface NeutralType {
  readonly name: NeutralTypeName;
  readonly params?: readonly number[];
  readonly native: string;
  readonly arrayDims?: number;
}

export type NeutralTypeName =
  | "integer" // any integer width; params[0] = bytes when known (2, 4, 8)
  | "real" // floating point; params[0] = bytes (4, 8)
  | "numeric" // exact decimal; params = [precision, scale] when given
  | "boolean"
  | "text" // text/varchar(n)/char(n): params[0] = length, native tells which
  | "blob"
  | "date"
  | "time"
  | "timetz"
  | "timestamp"
  | "timestamptz"
  | "interval"
  | "uuid"
  | "json"
  | "jsonb"
  | "any" // SQLite column without a type (BLOB affinity)
  | "other"; // any other engine type, carried in its text form

export interface ConstraintSchema {
  readonly name: string | null;
  readonly columns: readonly string[];
}

export interface ForeignKeySchema {
  readonly name: string | null;
  readonly columns: readonly string[];
  readonly refSchema: string | null;
  readonly refTable: string;
  readonly refColumns: readonly string[];
  readonly onUpdate: ForeignKeyAction;
  readonly onDelete: ForeignKeyAction;
  readonly deferrable: "not deferrable" | "initially immediate" | "initially deferred";
}

export type ForeignKeyAction = "no action" | "restrict" | "cascade" | "set null" | "set default";

export interface CheckSchema {
  readonly name: string | null;
  readonly expression: string;
  /** PostgreSQL NOT VALID: rows that were there before it need not satisfy it (absent: valid). */
  readonly notValid?: true;
}

export interface IndexSchema {
  readonly name: string;
  readonly unique: boolean;
  /** Column names, or SQL expressions for expression indexes (flagged). */
  readonly parts: readonly { readonly column?: string; readonly expression?: string; readonly desc?: boolean }[];
  readonly where: string | null;
  /** Full SQL that recreates the index on its own engine. */
  readonly sql: string | null;
}

/** A view, trigger, materialized view, standalone index or other object made after the data. */
export interface SchemaObject {
  readonly kind: "view" | "materialized view" | "trigger" | "index" | "constraint" | "comment" | "other";
  readonly schema: string | null;
  readonly name: string;
  /** Table the object belongs to, when it belongs to one. */
  readonly table: string | null;
  /** Exact SQL on the source engine. */
  readonly sql: string;
}

export interface TypeSchema {
  readonly kind: "enum" | "domain" | "composite" | "range" | "multirange" | "other";
  readonly schema: string;
  readonly name: string;
  /** Enum labels in sort order; composite attributes; domain base type. */
  readonly detail: Readonly<Record<string, unknown>>;
  /** Statements that recreate the type on its own engine, in order. */
  readonly sql: readonly string[];
}

export interface SequenceSchema {
  readonly schema: string;
  readonly name: string;
  /** Table and column that own the sequence (serial / identity), if any. */
  readonly ownedBy: { readonly table: string; readonly column: string } | null;
  /** The value `nextval` returns after restore, as a decimal string (bigint range). */
  readonly lastValue: string | null;
  readonly isCalled: boolean;
  readonly sql: readonly string[];
}

/**
 * Statements that recreate an object on its source engine, split by restore phase.
 * Empty `create` (never in a dump): a migration step reshaped the table (src/migrate/),
 * and the target engine builds it from the neutral model instead.
 */
export interface NativeDdl {
  /** Run before the data is loaded (CREATE TABLE ...). */
  readonly create: readonly string[];
  /** Run after all data is loaded (constraints, indexes that belong to the table). */
  readonly after: readonly string[];
}

/** Find a table by key, or throw. */
export function tableByKey(schema: DatabaseSchema, key: string): TableSchema {
  const table = schema.tables.find((t) => t.key === key);
  if (!table) throw new Error(`no table with key ${JSON.stringify(key)} in the schema`);
  return table;
}

/** The columns a table's data modules carry, in order (rowid first, generated columns left out). */
export function dataColumns(table: TableSchema): string[] {
  const names = table.columns.filter((c) => c.generated === null).map((c) => c.name);
  return table.rowidColumn === null ? names : [table.rowidColumn, ...names];
}

/**
 * The value kinds of `columns` of the table (its data columns by default), in their order;
 * a rowid that is no declared column (SQLite) is an integer.
 */
export function dataKinds(table: TableSchema, columns: readonly string[] = dataColumns(table)): ValueKind[] {
  return columns.map((c) => table.columns.find((col) => col.name === c)?.kind ?? "integer");
}

/** Display name of a table: `schema.name`, or `name` when there is no schema. */
export function displayName(table: Pick<TableSchema, "schema" | "name">): string {
  return table.schema === null ? table.name : `${table.schema}.${table.name}`;
}
