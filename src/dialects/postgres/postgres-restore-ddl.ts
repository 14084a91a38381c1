import { type ColumnSchema, type DatabaseSchema, type SchemaObject, type SequenceSchema, type TableSchema, displayName } from "../../model/schema-model.ts";
import { setSequenceStateSql } from "./postgres-object-ddl.ts";
import { compareText, qualify, quoteIdent, quoteList } from "./postgres-sql.ts";
import { type Statement, DEFAULT_SCHEMA, neutralAfterData, neutralCreateTable } from "./postgres-portable-ddl.ts";

export { DEFAULT_SCHEMA, type Statement } from "./postgres-portable-ddl.ts";

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
export function beforeDataStatements(schema: DatabaseSchema, warnings: string[]): Statement[] {
  if (schema.engine !== "postgres") return schema.tables.map((t) => neutralCreateTable(t, schema.engine, warnings));
  return [
    ...schema.types.flatMap((t) => t.sql.map((sql) => ({ sql, what: `${t.kind === "other" ? String(t.detail.object ?? "object") : `type`} ${t.schema}.${t.name}` }))),
    ...schema.sequences.flatMap((s) => s.sql.map((sql) => ({ sql, what: `sequence ${s.schema}.${s.name}` }))),
    // A table a migration step reshaped has no native DDL: it is built from the model.
    ...creationOrder(schema.tables).flatMap((t) =>
      t.native.create.length === 0 ? [neutralCreateTable(t, schema.engine, warnings, schema.sequences)] : t.native.create.map((sql) => ({ sql, what: `table ${displayName(t)}`, table: displayName(t) })),
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
export function afterDataStatements(schema: DatabaseSchema, warnings: string[], done: ReadonlySet<SchemaObject> = new Set()): Statement[] {
  if (schema.engine !== "postgres") {
    const statements = schema.tables.flatMap((t) => neutralAfterData(t, false, warnings));
    const indexes = new Set(schema.tables.flatMap((t) => t.indexes.map((i) => i.name)));
    for (const o of schema.objects) {
      if (!(o.kind === "index" && indexes.has(o.name))) warnings.push(`${o.kind} ${o.name} left out (its SQL is another engine's).`);
    }
    return statements;
  }
  return [
    ...schema.tables.flatMap((t) => t.native.after.map((sql) => ({ sql, what: `table ${displayName(t)}`, table: displayName(t) }))),
    ...schema.tables.filter((t) => t.native.create.length === 0).flatMap((t) => neutralAfterData(t, true, warnings)),
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
