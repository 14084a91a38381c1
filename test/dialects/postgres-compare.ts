import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import pg from "pg";
import { sessionSettingsSql } from "../../src/dialects/postgres/postgres-sql.ts";

/**
 * Compare two PostgreSQL databases the way a reviewer of a restore would: every table's
 * rows, and every catalog fact the dialect recreates, independently of gen-dump's code.
 */

/** A client with gen-dump's session settings, so text forms are comparable. */
export async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(sessionSettingsSql());
  return client;
}

export async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connect(url);
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Every user table's rows as sorted row texts, by qualified name. */
export async function tableRows(client: pg.Client): Promise<Record<string, string[]>> {
  const { rows: tables } = await client.query<{ q: string }>(`SELECT q FROM (
    SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS q
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%') s
    ORDER BY q COLLATE "C"`);
  const out: Record<string, string[]> = {};
  for (const { q } of tables) {
    const { rows } = await client.query<{ r: string }>(`SELECT r FROM (SELECT t::text AS r FROM ONLY ${q} t) s ORDER BY r COLLATE "C"`);
    out[q] = rows.map((r) => r.r);
  }
  return out;
}

const USER = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'`;

/** Catalog facts that must survive a restore, as sorted lines (no OIDs). */
export async function catalogFacts(client: pg.Client): Promise<Record<string, string[]>> {
  const queries: Record<string, string> = {
    relations: `SELECT n.nspname || '|' || c.relname || '|' || c.relkind::text || '|' || c.relpersistence::text || '|' || coalesce(pg_get_expr(c.relpartbound, c.oid), '') || '|' || coalesce(pg_get_partkeydef(c.oid), '') || '|' || coalesce(c.reloptions::text, '') || '|' || c.relispopulated::text
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER} AND c.relkind IN ('r','p','v','m','S','i','I')`,
    columns: `SELECT n.nspname || '|' || c.relname || '|' || a.attnum || '|' || a.attname || '|' || format_type(a.atttypid, a.atttypmod) || '|' || a.attnotnull || '|' || a.attidentity::text || '|' || a.attgenerated::text || '|' || a.attislocal || '|' || a.attinhcount || '|' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') || '|' || a.attcollation::regcollation::text
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE ${USER} AND c.relkind IN ('r','p','v','m','c') AND a.attnum > 0 AND NOT a.attisdropped`,
    constraints: `SELECT coalesce(c.conrelid::regclass::text, c.contypid::regtype::text) || '|' || c.conname || '|' || pg_get_constraintdef(c.oid) || '|' || c.convalidated || '|' || c.conislocal || '|' || c.coninhcount || '|' || c.condeferrable || '|' || c.condeferred
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE ${USER}`,
    indexes: `SELECT pg_get_indexdef(i.indexrelid) || '|' || i.indisvalid || '|' || coalesce((SELECT h.inhparent::regclass::text FROM pg_inherits h WHERE h.inhrelid = i.indexrelid), '')
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER}`,
    inherits: `SELECT inhrelid::regclass || '|' || inhparent::regclass || '|' || inhseqno FROM pg_inherits`,
    sequences: `SELECT s.seqrelid::regclass || '|' || format_type(s.seqtypid, NULL) || '|' || s.seqstart || '|' || s.seqincrement || '|' || s.seqmin || '|' || s.seqmax || '|' || s.seqcache || '|' || s.seqcycle || '|' || coalesce(pg_sequence_last_value(s.seqrelid)::text, 'not called')
      FROM pg_sequence s`,
    ownedSequences: `SELECT d.objid::regclass || '|' || d.refobjid::regclass || '|' || d.refobjsubid || '|' || d.deptype::text FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') AND (SELECT relkind FROM pg_class WHERE oid = d.objid) = 'S'`,
    views: `SELECT c.oid::regclass || '|' || pg_get_viewdef(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER} AND c.relkind IN ('v', 'm')`,
    triggers: `SELECT pg_get_triggerdef(t.oid) || '|' || t.tgenabled::text FROM pg_trigger t WHERE NOT t.tgisinternal`,
    types: `SELECT t.oid::regtype || '|' || t.typtype::text || '|' || coalesce(format_type(t.typbasetype, t.typtypmod), '') || '|' || t.typnotnull || '|' || coalesce(t.typdefault, '') || '|' || coalesce((SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid), '')
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE ${USER}`,
    functions: `SELECT pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${USER} AND p.prokind = 'f'`,
    comments: `SELECT pg_describe_object(d.classoid, d.objoid, d.objsubid) || '|' || d.description FROM pg_description d
      WHERE d.classoid <> 'pg_namespace'::regclass OR d.objoid IN (SELECT oid FROM pg_namespace n WHERE ${USER})`,
  };
  const facts: Record<string, string[]> = {};
  for (const [name, sql] of Object.entries(queries)) {
    const { rows } = await client.query<{ f: string }>(`SELECT x AS f FROM (${sql}) AS s(x)`);
    facts[name] = rows.map((r) => r.f).sort();
  }
  return facts;
}

const PG_DUMP_15 = "/usr/lib/postgresql/15/bin/pg_dump";

/** `pg_dump --schema-only` output without the per-run `\restrict` keys, or null when no pg_dump 15 is here. */
export async function pgDumpSchema(url: string): Promise<string | null> {
  if (!existsSync(PG_DUMP_15)) return null;
  const { stdout } = await promisify(execFile)(PG_DUMP_15, ["--schema-only", "--no-owner", url], { maxBuffer: 64 * 1024 * 1024 });
  return stdout.split("\n").filter((line) => !/^\\(un)?restrict /.test(line)).join("\n");
}
