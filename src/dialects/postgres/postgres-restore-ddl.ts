import { type ColumnSchema, type DatabaseSchema, type SchemaObject, type SequenceSchema, type TableSchema, displayName } from "../../model/schema-model.ts";
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
  if (schema.engine !== "postgres") return schema.tables.map((t) => neutralCreateTable(t));
  return [
    ...schema.types.flatMap((t) => t.sql.map((sql) => ({ sql, what: `${t.kind === "other" ? String(t.detail.object ?? "object") : `type`} ${t.schema}.${t.name}` }))),
    ...schema.sequences.flatMap((s) => s.sql.map((sql) => ({ sql, what: `sequence ${s.schema}.${s.name}` }))),
    // A table a migration step reshaped has no native DDL: it is built from the model.
    ...creationOrder(schema.tables).flatMap((t) =>
      t.native.create.length === 0 ? [neutralCreateTable(t, schema.sequences)] : t.native.create.map((sql) => ({ sql, what: `table ${displayName(t)}`, table: displayName(t) })),
    ),
  ];
}

/**
 * Views and materialized views (created empty), in dependency order. The writer tries
 * them before the data, so that a regclass value naming a view loads; one that cannot be
 * made yet (it needs a primary key, for a GROUP BY) waits for its turn after the data.
 */
export function viewStatements(schema: DatabaseSchema): { readonly object: SchemaObject; readonly statement: Statement }[] {
  if (schema.engine !== "postgres") return [];
  return schema.objects
    .filter((o) => o.kind === "view" || o.kind === "materialized view")
    .map((object) => ({ object, statement: { sql: object.sql, what: `${object.kind} ${object.schema ?? DEFAULT_SCHEMA}.${object.name}` } }));
}

/** Constraints, indexes, sequence state, views, triggers and comments, after the data; `done`: objects already made. */
export function afterDataStatements(schema: DatabaseSchema, done: ReadonlySet<SchemaObject> = new Set()): Statement[] {
  if (schema.engine !== "postgres") return [...schema.tables.flatMap(neutralIndexes), ...schema.tables.flatMap(neutralForeignKeys)];
  return [
    ...schema.tables.flatMap((t) => t.native.after.map((sql) => ({ sql, what: `table ${displayName(t)}`, table: displayName(t) }))),
    ...schema.tables.filter((t) => t.native.create.length === 0).flatMap((t) => [...neutralIndexes(t), ...neutralForeignKeys(t)]),
    ...schema.sequences.flatMap((s) => {
      const sql = setSequenceStateSql(s);
      return sql === null ? [] : [{ sql, what: `the state of sequence ${s.schema}.${s.name}` }];
    }),
    ...schema.objects.filter((o) => !done.has(o)).map((o) => ({
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
 * types, NOT NULL, literal defaults, primary key and unique constraints. (Other defaults
 * and checks are the source engine's SQL and are not carried over.) `native`: the model is PostgreSQL's own
 * (a table a migration step reshaped, `sequences` given): declared types, defaults and identity
 * columns (with the dump's identity sequence, whose state is set after the data) are kept.
 */
function neutralCreateTable(table: TableSchema, sequences?: readonly SequenceSchema[]): Statement {
  const native = sequences !== undefined;
  const lines = table.columns.map((c) => {
    const type = native && c.declaredType !== "" ? c.declaredType : postgresColumnType(c).sql;
    const generated = c.generated !== null ? ` GENERATED ALWAYS AS (${c.generated.expression}) STORED` : "";
    const identity = native && c.identity !== null && c.generated === null ? identityClause(table, c, sequences) : "";
    const fallback = c.default === null || c.generated !== null || c.identity !== null ? "" : native ? ` DEFAULT ${c.default}` : portableDefault(c);
    return `    ${quoteIdent(c.name)} ${type}${generated}${identity}${fallback}${c.nullable ? "" : " NOT NULL"}`;
  });
  const constraint = (name: string | null) => (name === null ? "" : `CONSTRAINT ${quoteIdent(name)} `);
  if (table.primaryKey !== null && table.primaryKey.columns.length > 0) {
    lines.push(`    ${constraint(table.primaryKey.name)}PRIMARY KEY (${quoteList(table.primaryKey.columns)})`);
  }
  for (const u of table.uniques) lines.push(`    ${constraint(u.name)}UNIQUE (${quoteList(u.columns)})`);
  const body = lines.length > 0 ? `\n${lines.join(",\n")}\n` : "";
  return { sql: `CREATE TABLE ${neutralName(table)} (${body})`, what: `table ${displayName(table)}`, table: displayName(table) };
}

/** `GENERATED … AS IDENTITY (SEQUENCE NAME s)`, naming the dump's identity sequence so its state can be set. */
function identityClause(table: TableSchema, column: ColumnSchema, sequences: readonly SequenceSchema[]): string {
  const seq = sequences.find((s) => s.ownedBy?.table === table.key && s.ownedBy.column === column.name && s.sql.length === 0);
  const name = seq === undefined ? "" : ` (SEQUENCE NAME ${qualify(seq.schema, seq.name)})`;
  return ` GENERATED ${column.identity === "always" ? "ALWAYS" : "BY DEFAULT"} AS IDENTITY${name}`;
}

/**
 * A literal default of another engine's column that means the same in PostgreSQL: a
 * number, or a string literal in a column that takes text. Expressions (SQLite's
 * `datetime('now')`) are that engine's SQL and are left out.
 */
function portableDefault(column: TableSchema["columns"][number]): string {
  const text = (column.default ?? "").trim();
  const name = column.type.name;
  if (/^[+-]?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i.test(text) && ["integer", "real", "numeric"].includes(name)) return ` DEFAULT ${text}`;
  if (/^'(?:[^']|'')*'$/.test(text) && ["text", "any", "other"].includes(name)) return ` DEFAULT ${text}`;
  return "";
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
