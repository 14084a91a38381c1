import type { SchemaObject, SequenceSchema, TypeSchema } from "../../model/schema-model.ts";
import type { RelationRow } from "./postgres-catalog.ts";
import type { ExtensionRow, FunctionRow, SequenceRow, SequenceStateRow, TriggerRow } from "./postgres-catalog-objects.ts";
import { compareText, qualify, quoteIdent, quoteLiteral, withOptions } from "./postgres-sql.ts";
import { sequenceOptions } from "./postgres-table-ddl.ts";
import { orderByDependencies } from "./postgres-type-ddl.ts";

/**
 * Sequences, views, triggers, functions and extensions → the neutral model's
 * `sequences`, `objects` and (for what must exist before the tables) `types`.
 */

/**
 * A sequence with its state. Identity sequences have no statements of their own: they
 * are created by their column's `GENERATED ... AS IDENTITY (SEQUENCE NAME ...)`.
 * @see https://www.postgresql.org/docs/current/sql-createsequence.html
 */
export function sequenceSchemaOf(
  seq: SequenceRow,
  state: SequenceStateRow | undefined,
  ownerKey: string | null,
): SequenceSchema {
  const sql = seq.ownerKind === "i" ? [] : [`CREATE ${seq.unlogged ? "UNLOGGED " : ""}SEQUENCE ${qualify(seq.schema, seq.name)} ${sequenceOptions(seq, true)}`];
  return {
    schema: seq.schema,
    name: seq.name,
    ownedBy: ownerKey !== null && seq.ownerColumn !== null ? { table: ownerKey, column: seq.ownerColumn } : null,
    lastValue: state?.lastValue ?? null,
    isCalled: state?.isCalled ?? false,
    sql,
  };
}

/** The statement that gives a restored sequence the source's state. */
export function setSequenceStateSql(seq: Pick<SequenceSchema, "schema" | "name" | "lastValue" | "isCalled">): string | null {
  if (seq.lastValue === null || !/^-?\d+$/.test(seq.lastValue)) return null;
  return `SELECT pg_catalog.setval(${quoteLiteral(qualify(seq.schema, seq.name))}::pg_catalog.regclass, ${seq.lastValue}, ${seq.isCalled ? "true" : "false"})`;
}

/**
 * Views and materialized views in dependency order. A materialized view is created
 * empty (`WITH NO DATA`); the ones that were populated get a REFRESH at the very end.
 * @see https://www.postgresql.org/docs/current/sql-createview.html
 */
export function viewObjects(views: readonly RelationRow[]): { readonly create: SchemaObject[]; readonly refresh: SchemaObject[] } {
  const byOid = new Map(views.map((v) => [v.oid, v]));
  const ordered = orderByDependencies(views, (v) => v.viewDeps.flatMap((oid) => byOid.get(oid) ?? []));
  const create = ordered.map((v): SchemaObject => {
    const name = qualify(v.schema, v.name);
    const query = (v.viewDef ?? "").trim().replace(/;$/, "");
    return v.kind === "m"
      ? { kind: "materialized view", schema: v.schema, name: v.name, table: null, sql: `CREATE MATERIALIZED VIEW ${name}${withOptions(v.options)} AS\n${query}\nWITH NO DATA` }
      : { kind: "view", schema: v.schema, name: v.name, table: null, sql: `CREATE VIEW ${name}${withOptions(v.options)} AS\n${query}` };
  });
  const refresh = ordered
    .filter((v) => v.kind === "m" && v.populated)
    .map((v): SchemaObject => ({ kind: "other", schema: v.schema, name: v.name, table: null, sql: `REFRESH MATERIALIZED VIEW ${qualify(v.schema, v.name)}` }));
  return { create, refresh };
}

/**
 * Triggers, after the data so they do not fire during the load; a trigger that was not
 * simply enabled gets its state back.
 * @see https://www.postgresql.org/docs/current/sql-createtrigger.html
 */
export function triggerObjects(triggers: readonly TriggerRow[], relations: ReadonlyMap<number, RelationRow>): SchemaObject[] {
  const rows = triggers
    .flatMap((t) => {
      const rel = relations.get(t.rel);
      return rel === undefined ? [] : [{ t, rel }];
    })
    .sort((a, b) => compareText(a.rel.schema, b.rel.schema) || compareText(a.rel.name, b.rel.name) || compareText(a.t.name, b.t.name));
  const out: SchemaObject[] = [];
  const state: Readonly<Record<string, string>> = { D: "DISABLE", R: "ENABLE REPLICA", A: "ENABLE ALWAYS" };
  for (const { t, rel } of rows) {
    out.push({ kind: "trigger", schema: rel.schema, name: t.name, table: rel.name, sql: t.def });
    const change = state[t.enabled];
    if (change !== undefined) {
      out.push({ kind: "trigger", schema: rel.schema, name: t.name, table: rel.name, sql: `ALTER TABLE ${qualify(rel.schema, rel.name)} ${change} TRIGGER ${quoteIdent(t.name)}` });
    }
  }
  return out;
}

/** COMMENT ON TRIGGER for the triggers that have one. */
export function triggerComments(triggers: readonly TriggerRow[], relations: ReadonlyMap<number, RelationRow>): string[] {
  return triggers.flatMap((t) => {
    const rel = relations.get(t.rel);
    if (rel === undefined || t.comment === null) return [];
    return [`COMMENT ON TRIGGER ${quoteIdent(t.name)} ON ${qualify(rel.schema, rel.name)} IS ${quoteLiteral(t.comment)}`];
  }).sort(compareText);
}

/** Extensions, recreated (not dumped) with CREATE EXTENSION. */
export function extensionTypes(extensions: readonly ExtensionRow[]): TypeSchema[] {
  return [...extensions]
    .sort((a, b) => compareText(a.name, b.name))
    .map((e) => ({
      kind: "other",
      schema: e.schema,
      name: e.name,
      detail: { object: "extension" },
      sql: [`CREATE EXTENSION IF NOT EXISTS ${quoteIdent(e.name)} WITH SCHEMA ${quoteIdent(e.schema)}`],
    }));
}

/**
 * Functions and procedures, created after the types and before the tables (defaults,
 * checks and triggers call them). Bodies are not checked at creation
 * (`check_function_bodies = off`), so a function may read tables created later.
 */
export function functionTypes(functions: readonly FunctionRow[]): TypeSchema[] {
  return [...functions]
    .sort((a, b) => compareText(a.schema, b.schema) || compareText(a.name, b.name) || compareText(a.signature, b.signature))
    .map((f) => ({
      kind: "other",
      schema: f.schema,
      name: f.name,
      detail: { object: f.kind === "p" ? "procedure" : "function", signature: f.signature },
      sql: [f.def.trim()],
    }));
}

export function functionComments(functions: readonly FunctionRow[]): string[] {
  return functions
    .filter((f) => f.comment !== null)
    .map((f) => `COMMENT ON ${f.kind === "p" ? "PROCEDURE" : "FUNCTION"} ${f.signature} IS ${quoteLiteral(f.comment!)}`)
    .sort(compareText);
}

/** Comments on views and materialized views and their columns. */
export function viewComments(view: RelationRow, columns: readonly { readonly name: string; readonly comment: string | null }[]): string[] {
  const name = qualify(view.schema, view.name);
  const what = view.kind === "m" ? "MATERIALIZED VIEW" : "VIEW";
  const out = view.comment === null ? [] : [`COMMENT ON ${what} ${name} IS ${quoteLiteral(view.comment)}`];
  for (const c of columns) {
    if (c.comment !== null) out.push(`COMMENT ON COLUMN ${name}.${quoteIdent(c.name)} IS ${quoteLiteral(c.comment)}`);
  }
  return out;
}
