import type { DatabaseSchema } from "../../model/schema-model.ts";
import type { TargetState } from "../dialect.ts";
import { USER_NAMESPACE } from "./postgres-catalog.ts";
import type { PgSession } from "./postgres-connection.ts";
import { DEFAULT_SCHEMA, type Statement } from "./postgres-restore-ddl.ts";
import { compareNames, qualify } from "./postgres-sql.ts";

/** What the target holds: user relations in non-system schemas (not extension members). */
const TARGET_RELATIONS_SQL = `
SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS kind
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND ${USER_NAMESPACE}
  AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')`;

const TARGET_TYPES_SQL = `
SELECT n.nspname AS schema, t.typname AS name, t.typtype::text AS kind
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype IN ('e', 'd', 'r', 'm', 'c') AND ${USER_NAMESPACE}
  AND (t.typtype <> 'c' OR EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c'))
  AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e')`;

const TARGET_FUNCTIONS_SQL = `
SELECT p.oid::regprocedure::text AS signature, p.prokind::text AS kind
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE p.prokind IN ('f', 'p') AND ${USER_NAMESPACE}
  AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e')`;

interface NamedRow {
  readonly schema: string;
  readonly name: string;
  readonly kind: string;
}

/** User tables with exact row counts; empty when no table, view, sequence or type exists. */
export async function inspectTarget(session: PgSession): Promise<TargetState> {
  const relations = (await session.query<NamedRow>(TARGET_RELATIONS_SQL)).sort(compareNames);
  const types = await session.query<NamedRow>(TARGET_TYPES_SQL);
  const tables = relations.filter((r) => r.kind === "r" || r.kind === "p");
  const counts = new Map<string, number>();
  for (let i = 0; i < tables.length; i += 100) {
    const sql = tables
      .slice(i, i + 100)
      .map((t, n) => `SELECT ${i + n} AS i, count(*)::int8::text AS n FROM ONLY ${qualify(t.schema, t.name)}`)
      .join("\nUNION ALL\n");
    for (const row of await session.query<{ i: number; n: string }>(sql)) counts.set(`${row.i}`, Number(row.n));
  }
  return {
    tables: tables.map((t, i) => ({ schema: t.schema, name: t.name, rows: counts.get(`${i}`) ?? 0 })),
    empty: relations.length === 0 && types.length === 0,
  };
}

const DROP_RELATION: Readonly<Record<string, string>> = {
  v: "VIEW",
  m: "MATERIALIZED VIEW",
  r: "TABLE",
  p: "TABLE",
  f: "FOREIGN TABLE",
  S: "SEQUENCE",
};

/**
 * DROP ... CASCADE for every object of the target that the dump recreates (by name and
 * schema, whatever kind of object holds the name now), views first, then functions, types last.
 */
export async function clearStatements(session: PgSession, schema: DatabaseSchema): Promise<Statement[]> {
  const wanted = new Set<string>();
  const add = (s: string | null, name: string) => wanted.add(JSON.stringify([s ?? DEFAULT_SCHEMA, name]));
  for (const t of schema.tables) add(t.schema, t.name);
  for (const s of schema.sequences) add(s.schema, s.name);
  for (const o of schema.objects) if (o.kind === "view" || o.kind === "materialized view") add(o.schema, o.name);
  for (const t of schema.types) if (t.kind !== "other") add(t.schema, t.name);
  const hit = (r: NamedRow) => wanted.has(JSON.stringify([r.schema, r.name]));
  const relations = (await session.query<NamedRow>(TARGET_RELATIONS_SQL)).filter(hit).sort(compareNames);
  const order = ["v", "m", "f", "p", "r", "S"];
  relations.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  const out: Statement[] = relations.map((r) => ({
    sql: `DROP ${DROP_RELATION[r.kind]} IF EXISTS ${qualify(r.schema, r.name)} CASCADE`,
    what: `the existing ${r.schema}.${r.name}`,
  }));
  const signatures = new Set(schema.types.flatMap((t) => (typeof t.detail.signature === "string" ? [t.detail.signature] : [])));
  for (const f of await session.query<{ signature: string; kind: string }>(TARGET_FUNCTIONS_SQL)) {
    if (!signatures.has(f.signature)) continue;
    // The signature is the target's own regprocedure text: already quoted by the server.
    out.push({ sql: `DROP ${f.kind === "p" ? "PROCEDURE" : "FUNCTION"} IF EXISTS ${f.signature} CASCADE`, what: `the existing function ${f.signature}` });
  }
  for (const t of (await session.query<NamedRow>(TARGET_TYPES_SQL)).filter(hit).sort(compareNames)) {
    if (t.kind === "m") continue; // dropped with its range
    out.push({ sql: `DROP ${t.kind === "d" ? "DOMAIN" : "TYPE"} IF EXISTS ${qualify(t.schema, t.name)} CASCADE`, what: `the existing type ${t.schema}.${t.name}` });
  }
  return out;
}
