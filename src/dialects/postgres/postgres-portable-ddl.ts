import type { ColumnSchema, DatabaseSchema, SequenceSchema, TableSchema } from "../../model/schema-model.ts";
import { displayName } from "../../model/schema-model.ts";
import { defaultSql, portableDefault, portableExpression } from "../portable-sql.ts";
import { type ConstraintKind, checkNameColumns, defaultConstraintName } from "./postgres-constraint-names.ts";
import { qualify, quoteIdent, quoteList, quoteLiteral } from "./postgres-sql.ts";
import { postgresColumnType } from "./postgres-type-map.ts";

/** One statement of a restore and what it makes, for error messages. */
export interface Statement {
  readonly sql: string;
  readonly what: string;
  readonly table?: string;
  /**
   * Carried over from another engine on a best-effort basis (a CHECK constraint): when
   * PostgreSQL refuses it, the restore goes on without it and says so in `warning`.
   */
  readonly optional?: { readonly warning: string };
}

/** Namespace a table of a schema-less engine (SQLite) is restored into. */
export const DEFAULT_SCHEMA = "public";

/**
 * PostgreSQL DDL for a table of another engine's dump (SQLite), from the neutral model,
 * or for a PostgreSQL table a migration step reshaped (`sequences` given: declared types,
 * defaults and identity sequences kept). From another engine: mapped types, NOT NULL,
 * defaults that mean the same (literals; SQLite's CURRENT_TIMESTAMP/DATE/TIME), the rowid
 * (INTEGER PRIMARY KEY) as an identity column, constraints named as PostgreSQL names
 * them by default. What cannot be carried over is named in `warnings`.
 */
export function neutralCreateTable(table: TableSchema, engine: DatabaseSchema["engine"], warnings: string[], sequences?: readonly SequenceSchema[]): Statement {
  const native = sequences !== undefined;
  const names = new ConstraintNames(table, native);
  const lines = table.columns.map((c) => {
    const type = native && c.declaredType !== "" ? c.declaredType : postgresColumnType(c).sql;
    const generated = c.generated !== null ? ` GENERATED ALWAYS AS (${c.generated.expression}) STORED` : "";
    const identity = c.identity !== null && c.generated === null ? identityClause(table, c, sequences) : "";
    const fallback = c.default === null || c.generated !== null || c.identity !== null ? "" : native ? ` DEFAULT ${c.default}` : carriedDefault(table, c, type, engine, warnings);
    return `    ${quoteIdent(c.name)} ${type}${generated}${identity}${fallback}${c.nullable ? "" : " NOT NULL"}`;
  });
  if (table.primaryKey !== null && table.primaryKey.columns.length > 0) {
    lines.push(`    ${names.clause(table.primaryKey.name, "primary key", table.primaryKey.columns)}PRIMARY KEY (${quoteList(table.primaryKey.columns)})`);
  }
  for (const u of table.uniques) lines.push(`    ${names.clause(u.name, "unique", u.columns)}UNIQUE (${quoteList(u.columns)})`);
  const body = lines.length > 0 ? `\n${lines.join(",\n")}\n` : "";
  return { sql: `CREATE TABLE ${neutralName(table)} (${body})`, what: `table ${displayName(table)}`, table: displayName(table) };
}

/** After the data: plain indexes, foreign keys, checks and the rowid's sequence state of a table built from the model. */
export function neutralAfterData(table: TableSchema, native: boolean, warnings: string[]): Statement[] {
  const names = new ConstraintNames(table, native);
  return [...neutralIndexes(table, warnings), ...neutralForeignKeys(table, names), ...(native ? [] : [...neutralChecks(table, names, warnings), ...rowidState(table)])];
}

export function neutralName(table: TableSchema): string {
  return qualify(table.schema ?? DEFAULT_SCHEMA, table.name);
}

/**
 * Constraint names: a named constraint keeps its name; an unnamed one from another engine
 * gets the name PostgreSQL would give it, once (a second with the same default name is
 * left for PostgreSQL to number). PostgreSQL's own reshaped tables let it choose.
 */
class ConstraintNames {
  readonly #used = new Set<string>();
  constructor(
    private readonly table: TableSchema,
    private readonly native: boolean,
  ) {}

  clause(name: string | null, kind: ConstraintKind, columns: readonly string[]): string {
    const chosen = name ?? (this.native ? null : defaultConstraintName(this.table, kind, columns));
    if (chosen === null || (name === null && this.#used.has(chosen))) return "";
    this.#used.add(chosen);
    return `CONSTRAINT ${quoteIdent(chosen)} `;
  }
}

/** `GENERATED … AS IDENTITY`; for a reshaped PostgreSQL table naming the dump's identity sequence, so its state can be set. */
function identityClause(table: TableSchema, column: ColumnSchema, sequences: readonly SequenceSchema[] | undefined): string {
  const seq = sequences?.find((s) => s.ownedBy?.table === table.key && s.ownedBy.column === column.name && s.sql.length === 0);
  const name = seq === undefined ? "" : ` (SEQUENCE NAME ${qualify(seq.schema, seq.name)})`;
  return ` GENERATED ${column.identity === "always" ? "ALWAYS" : "BY DEFAULT"} AS IDENTITY${name}`;
}

function carriedDefault(table: TableSchema, column: ColumnSchema, type: string, engine: DatabaseSchema["engine"], warnings: string[]): string {
  const meaning = portableDefault(column.default!, engine);
  const literalFits = meaning?.kind !== "literal" || meaning.sql === "NULL" || (/^'/.test(meaning.sql) ? ["text", "any", "other"] : ["integer", "real", "numeric"]).includes(column.type.name);
  const sql = meaning === null || !literalFits ? null : defaultSql(meaning, "postgres", type);
  if (sql === null) warnings.push(`${displayName(table)}.${column.name}: default ${JSON.stringify(column.default)} left out (it has no PostgreSQL equivalent for a ${type} column).`);
  return sql === null ? "" : ` DEFAULT ${sql}`;
}

/** Indexes over plain columns (expression and partial indexes are the source engine's SQL). */
function neutralIndexes(table: TableSchema, warnings: string[]): Statement[] {
  return table.indexes.flatMap((i) => {
    if (i.parts.length === 0 || i.parts.some((p) => p.column === undefined) || i.where !== null) {
      warnings.push(`${displayName(table)}: index ${i.name} left out (an expression or partial index in another engine's SQL).`);
      return [];
    }
    const parts = i.parts.map((p) => `${quoteIdent(p.column!)}${p.desc ? " DESC" : ""}`).join(", ");
    return [{ sql: `CREATE ${i.unique ? "UNIQUE " : ""}INDEX ${quoteIdent(i.name)} ON ${neutralName(table)} (${parts})`, what: `index ${i.name}`, table: displayName(table) }];
  });
}

function neutralForeignKeys(table: TableSchema, names: ConstraintNames): Statement[] {
  return table.foreignKeys.map((fk) => {
    const ref = qualify(fk.refSchema ?? table.schema ?? DEFAULT_SCHEMA, fk.refTable);
    const refColumns = fk.refColumns.length > 0 ? ` (${quoteList(fk.refColumns)})` : "";
    const deferrable = fk.deferrable === "not deferrable" ? "" : ` DEFERRABLE INITIALLY ${fk.deferrable === "initially deferred" ? "DEFERRED" : "IMMEDIATE"}`;
    const sql =
      `ALTER TABLE ${neutralName(table)} ADD ${names.clause(fk.name, "foreign key", fk.columns)}FOREIGN KEY (${quoteList(fk.columns)}) REFERENCES ${ref}${refColumns}` +
      ` ON UPDATE ${fk.onUpdate.toUpperCase()} ON DELETE ${fk.onDelete.toUpperCase()}${deferrable}`;
    return { sql, what: `a foreign key of ${displayName(table)}`, table: displayName(table) };
  });
}

/** CHECK constraints in the SQL both engines share, added after the data; the others are named in `warnings`. */
function neutralChecks(table: TableSchema, names: ConstraintNames, warnings: string[]): Statement[] {
  const where = displayName(table);
  return table.checks.flatMap((check) => {
    const label = `CHECK constraint ${check.name === null ? "" : `${check.name} `}(${JSON.stringify(check.expression)})`;
    const expression = portableExpression(check.expression, table.columns.map((c) => c.name));
    if (expression === null) {
      warnings.push(`${where}: ${label} left out (it uses SQL PostgreSQL does not share).`);
      return [];
    }
    const sql = `ALTER TABLE ${neutralName(table)} ADD ${names.clause(check.name, "check", checkNameColumns(table, expression))}CHECK (${expression})`;
    return [{ sql, what: `a CHECK constraint of ${where}`, table: where, optional: { warning: `${where}: ${label} left out` } }];
  });
}

/**
 * The rowid's identity sequence continues where the source would have: after the largest
 * key, or after SQLite's AUTOINCREMENT counter when that is larger.
 */
function rowidState(table: TableSchema): Statement[] {
  const column = table.columns.find((c) => c.identity !== null);
  if (column === undefined) return [];
  const counter = table.options.autoincrement;
  const floor = typeof counter === "number" || (typeof counter === "string" && /^\d+$/.test(counter)) ? String(counter) : "0";
  const name = neutralName(table);
  const sql =
    `SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence(${quoteLiteral(name)}, ${quoteLiteral(column.name)}), m) ` +
    `FROM (SELECT GREATEST(max(${quoteIdent(column.name)}), ${floor}) AS m FROM ${name}) AS x WHERE m >= 1`;
  return [{ sql, what: `the identity sequence of ${displayName(table)}`, table: displayName(table) }];
}
