import { type DatabaseSchema, type TableSchema, displayName } from "../../model/schema-model.ts";
import { setSequenceStateSql } from "./postgres-object-ddl.ts";
import { compareText, qualify, quoteIdent, quoteList } from "./postgres-sql.ts";
import { postgresColumnType } from "./postgres-type-map.ts";

/** One statement of a restore and what it makes, for error messages. */
export interface Statement {
  readonly sql: string;
  readonly what: string;
  readonly table?: string;
}

/** Namespace a table of a schema-less engine (SQLite) is restored into. */
export const DEFAULT_SCHEMA = "public";

/** Schemas the dump's objects live in. */
export function schemasOf(schema: DatabaseSchema): string[] {
  const names = new Set<string>(schema.schemas);
  for (const t of schema.tables) names.add(t.schema ?? DEFAULT_SCHEMA);
  if (schema.engine === "postgres") {
    for (const t of schema.types) names.add(t.schema);
    for (const s of schema.sequences) names.add(s.schema);
  }
  return [...names].sort(compareText);
}

/** Types, functions, sequences and tables, before the data (schemas are made by the writer). */
export function beforeDataStatements(schema: DatabaseSchema): Statement[] {
  if (schema.engine !== "postgres") return schema.tables.map(neutralCreateTable);
  return [
    ...schema.types.flatMap((t) => t.sql.map((sql) => ({ sql, what: `${t.kind === "other" ? String(t.detail.object ?? "object") : `type`} ${t.schema}.${t.name}` }))),
    ...schema.sequences.flatMap((s) => s.sql.map((sql) => ({ sql, what: `sequence ${s.schema}.${s.name}` }))),
    ...creationOrder(schema.tables).flatMap((t) => t.native.create.map((sql) => ({ sql, what: `table ${displayName(t)}`, table: displayName(t) }))),
  ];
}

/** Constraints, indexes, sequence state, views, triggers and comments, after the data. */
export function afterDataStatements(schema: DatabaseSchema): Statement[] {
  if (schema.engine !== "postgres") return [...schema.tables.flatMap(neutralIndexes), ...schema.tables.flatMap(neutralForeignKeys)];
  return [
    ...schema.tables.flatMap((t) => t.native.after.map((sql) => ({ sql, what: `table ${displayName(t)}`, table: displayName(t) }))),
    ...schema.sequences.flatMap((s) => {
      const sql = setSequenceStateSql(s);
      return sql === null ? [] : [{ sql, what: `the state of sequence ${s.schema}.${s.name}` }];
    }),
    ...schema.objects.map((o) => ({
      sql: o.sql,
      what: `${o.kind}${o.name ? ` ${o.schema ?? DEFAULT_SCHEMA}.${o.name}` : ""}`,
      ...(o.table !== null ? { table: `${o.schema}.${o.table}` } : {}),
    })),
  ];
}

/**
 * Tables in dump order, except that a table comes after the parents it inherits from or
 * is a partition of (`options.createAfter`, a JSON list of table keys).
 */
export function creationOrder(tables: readonly TableSchema[]): TableSchema[] {
  const byKey = new Map(tables.map((t) => [t.key, t]));
  const done = new Set<string>();
  const order: TableSchema[] = [];
  const visit = (table: TableSchema, path: Set<string>) => {
    if (done.has(table.key) || path.has(table.key)) return;
    path.add(table.key);
    for (const key of parentKeys(table)) {
      const parent = byKey.get(key);
      if (parent !== undefined) visit(parent, path);
    }
    done.add(table.key);
    order.push(table);
  };
  for (const table of tables) visit(table, new Set());
  return order;
}

function parentKeys(table: TableSchema): string[] {
  const raw = table.options.createAfter;
  if (typeof raw !== "string") return [];
  const parsed: unknown = JSON.parse(raw);
  return Array.isArray(parsed) ? parsed.filter((k): k is string => typeof k === "string") : [];
}

function neutralName(table: TableSchema): string {
  return qualify(table.schema ?? DEFAULT_SCHEMA, table.name);
}

/**
 * CREATE TABLE for a table of another engine's dump, from the neutral model: mapped
 * types, NOT NULL, primary key and unique constraints. (Defaults and checks are the
 * source engine's SQL and are not carried over.)
 */
function neutralCreateTable(table: TableSchema): Statement {
  const lines = table.columns.map((c) => {
    const type = postgresColumnType(c);
    const generated = c.generated !== null ? ` GENERATED ALWAYS AS (${c.generated.expression}) STORED` : "";
    return `    ${quoteIdent(c.name)} ${type.sql}${generated}${c.nullable ? "" : " NOT NULL"}`;
  });
  const constraint = (name: string | null) => (name === null ? "" : `CONSTRAINT ${quoteIdent(name)} `);
  if (table.primaryKey !== null && table.primaryKey.columns.length > 0) {
    lines.push(`    ${constraint(table.primaryKey.name)}PRIMARY KEY (${quoteList(table.primaryKey.columns)})`);
  }
  for (const u of table.uniques) lines.push(`    ${constraint(u.name)}UNIQUE (${quoteList(u.columns)})`);
  const body = lines.length > 0 ? `\n${lines.join(",\n")}\n` : "";
  return { sql: `CREATE TABLE ${neutralName(table)} (${body})`, what: `table ${displayName(table)}`, table: displayName(table) };
}

/** Indexes over plain columns (expression and partial indexes are the source engine's SQL). */
function neutralIndexes(table: TableSchema): Statement[] {
  return table.indexes
    .filter((i) => i.parts.length > 0 && i.parts.every((p) => p.column !== undefined) && i.where === null)
    .map((i) => {
      const parts = i.parts.map((p) => `${quoteIdent(p.column!)}${p.desc ? " DESC" : ""}`).join(", ");
      const sql = `CREATE ${i.unique ? "UNIQUE " : ""}INDEX ${quoteIdent(i.name)} ON ${neutralName(table)} (${parts})`;
      return { sql, what: `index ${i.name}`, table: displayName(table) };
    });
}

function neutralForeignKeys(table: TableSchema): Statement[] {
  return table.foreignKeys.map((fk) => {
    const ref = qualify(fk.refSchema ?? table.schema ?? DEFAULT_SCHEMA, fk.refTable);
    const refColumns = fk.refColumns.length > 0 ? ` (${quoteList(fk.refColumns)})` : "";
    const deferrable = fk.deferrable === "not deferrable" ? "" : ` DEFERRABLE INITIALLY ${fk.deferrable === "initially deferred" ? "DEFERRED" : "IMMEDIATE"}`;
    const name = fk.name === null ? "" : `CONSTRAINT ${quoteIdent(fk.name)} `;
    const sql =
      `ALTER TABLE ${neutralName(table)} ADD ${name}FOREIGN KEY (${quoteList(fk.columns)}) REFERENCES ${ref}${refColumns}` +
      ` ON UPDATE ${fk.onUpdate.toUpperCase()} ON DELETE ${fk.onDelete.toUpperCase()}${deferrable}`;
    return { sql, what: `a foreign key of ${displayName(table)}`, table: displayName(table) };
  });
}
