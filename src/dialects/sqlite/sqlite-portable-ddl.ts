import type { ColumnSchema, DatabaseSchema, ForeignKeySchema, TableSchema } from "../../model/schema-model.ts";
import { displayName } from "../../model/schema-model.ts";
import { GenDumpError } from "../../errors.ts";
import { quoteIdent } from "./sqlite-sql.ts";
import { declaredTypeFor } from "./sqlite-type-map.ts";
import { defaultSql, portableDefault, portableExpression } from "../portable-sql.ts";

/**
 * SQLite DDL for a dump taken from another engine, built from the neutral model alone
 * (its `native` SQL is another dialect). CHECK constraints and defaults are kept when
 * they are in the SQL both engines share (portable-sql.ts); what SQLite cannot express
 * the same way is left out and noted in `warnings`: other checks and defaults, generated
 * columns, collations, expression and partial indexes, views and triggers. Tables lose
 * their schema name.
 */
export interface PortableDdl {
  readonly statements: readonly string[];
  readonly warnings: readonly string[];
}

/** CREATE TABLE statements, one per table, in schema order. */
export function portableCreateTables(schema: DatabaseSchema): PortableDdl {
  const warnings: string[] = [];
  const statements = schema.tables.map((table) => createTableFromModel(table, warnings));
  return { statements, warnings };
}

/**
 * CREATE TABLE from the neutral model. `sameEngine`: the model came from SQLite (a
 * table a migration step reshaped), so declared types and defaults are kept as written.
 */
export function createTableFromModel(table: TableSchema, warnings: string[], sameEngine = false): string {
  const where = displayName(table);
  if (table.columns.every((c) => c.generated !== null && !sameEngine)) {
    throw new GenDumpError(
      "RESTORE",
      `Table ${where} has no columns SQLite can hold, and SQLite cannot create a table without columns. Dump the source again without it (--exclude-table ${JSON.stringify(where)}).`,
      { table: where },
    );
  }
  const lines: string[] = [];
  for (const column of table.columns) {
    if (column.generated !== null && sameEngine) {
      const type = column.declaredType === "" ? "" : ` ${column.declaredType}`;
      lines.push(`${quoteIdent(column.name)}${type} GENERATED ALWAYS AS (${column.generated.expression}) ${column.generated.stored ? "STORED" : "VIRTUAL"}`);
      continue;
    }
    if (column.generated !== null) {
      warnings.push(`${where}.${column.name}: generated column left out (its expression is ${JSON.stringify(column.generated.expression)}).`);
      continue;
    }
    lines.push(columnDefinition(column, where, warnings, sameEngine));
  }
  if (table.primaryKey !== null) lines.push(`${constraintName(table.primaryKey.name)}PRIMARY KEY (${columnList(table.primaryKey.columns)})`);
  for (const unique of table.uniques) lines.push(`${constraintName(unique.name)}UNIQUE (${columnList(unique.columns)})`);
  for (const fk of table.foreignKeys) lines.push(foreignKey(fk));
  for (const check of table.checks) {
    const expression = sameEngine ? check.expression : portableExpression(check.expression, table.columns.map((c) => c.name));
    if (check.notValid === true) {
      warnings.push(`${where}: CHECK constraint ${check.name ?? ""} (${JSON.stringify(check.expression)}) left out (NOT VALID in the source: rows need not satisfy it, and SQLite checks every row).`);
    } else if (expression === null) warnings.push(`${where}: CHECK constraint ${check.name === null ? "" : `${check.name} `}(${JSON.stringify(check.expression)}) left out (it uses SQL SQLite does not share).`);
    else lines.push(`${constraintName(check.name)}CHECK (${expression})`);
  }
  const identity = table.columns.find((c) => c.identity !== null && c.generated === null);
  if (identity !== undefined && !sameEngine && !(table.primaryKey?.columns.length === 1 && table.primaryKey.columns[0] === identity.name && identity.type.name === "integer")) {
    warnings.push(`${where}.${identity.name}: identity left out (SQLite fills in only an INTEGER PRIMARY KEY); the application must give its values.`);
  }
  return `CREATE TABLE ${quoteIdent(table.name)} (\n  ${lines.join(",\n  ")}\n)`;
}

function columnDefinition(column: ColumnSchema, where: string, warnings: string[], sameEngine: boolean): string {
  const type = sameEngine && column.declaredType !== "" ? column.declaredType : declaredTypeFor(column);
  let sql = type === "" ? quoteIdent(column.name) : `${quoteIdent(column.name)} ${type}`;
  if (!column.nullable) sql += " NOT NULL";
  if (column.default !== null) {
    const literal = sameEngine ? column.default : carriedDefault(column.default);
    if (literal === null) warnings.push(`${where}.${column.name}: default ${JSON.stringify(column.default)} left out.`);
    else sql += ` DEFAULT ${literal}`;
  }
  if (column.collation !== null && !/^(?:c|posix|default|binary)$/i.test(column.collation)) {
    warnings.push(`${where}.${column.name}: collation ${JSON.stringify(column.collation)} left out.`);
  }
  return sql;
}

/**
 * A PostgreSQL default SQLite reads the same way: a number, a string literal (a trailing
 * `::type` cast dropped), true/false as 1/0, NULL, and the UTC "now" gen-dump gives a
 * SQLite CURRENT_TIMESTAMP/DATE/TIME in PostgreSQL. Anything else (`now()`, a sequence)
 * is PostgreSQL's own.
 */
function carriedDefault(expression: string): string | null {
  const text = expression.trim();
  if (/^true$/i.test(text)) return "1";
  if (/^false$/i.test(text)) return "0";
  const meaning = portableDefault(text, "postgres");
  return meaning === null ? null : defaultSql(meaning, "sqlite", "");
}

function foreignKey(fk: ForeignKeySchema): string {
  let sql = `${constraintName(fk.name)}FOREIGN KEY (${columnList(fk.columns)}) REFERENCES ${quoteIdent(fk.refTable)}`;
  if (fk.refColumns.length > 0) sql += ` (${columnList(fk.refColumns)})`;
  if (fk.onDelete !== "no action") sql += ` ON DELETE ${fk.onDelete.toUpperCase()}`;
  if (fk.onUpdate !== "no action") sql += ` ON UPDATE ${fk.onUpdate.toUpperCase()}`;
  if (fk.deferrable === "initially deferred") sql += " DEFERRABLE INITIALLY DEFERRED";
  else if (fk.deferrable === "initially immediate") sql += " DEFERRABLE INITIALLY IMMEDIATE";
  return sql;
}

/** CREATE INDEX for the indexes on plain columns; the rest are noted. */
export function portableIndexes(schema: DatabaseSchema): PortableDdl {
  const warnings: string[] = [];
  const statements: string[] = [];
  for (const table of schema.tables) {
    for (const index of table.indexes) {
      const columns = index.parts.map((p) => p.column);
      if (index.where !== null || columns.some((c) => c === undefined)) {
        warnings.push(`${displayName(table)}: index ${index.name} left out (expression or partial index).`);
        continue;
      }
      const parts = index.parts.map((p) => `${quoteIdent(p.column!)}${p.desc ? " DESC" : ""}`);
      statements.push(`CREATE ${index.unique ? "UNIQUE " : ""}INDEX ${quoteIdent(index.name)} ON ${quoteIdent(table.name)} (${parts.join(", ")})`);
    }
  }
  return { statements, warnings };
}

function constraintName(name: string | null): string {
  return name === null ? "" : `CONSTRAINT ${quoteIdent(name)} `;
}

function columnList(columns: readonly string[]): string {
  return columns.map(quoteIdent).join(", ");
}
