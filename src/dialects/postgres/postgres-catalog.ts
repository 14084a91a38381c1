/**
 * Typed rows of the PostgreSQL system catalogs the introspector reads, with the SQL that
 * produces them. Kept apart from the neutral model: these mirror the catalogs, and the
 * introspector turns them into `TableSchema`s. All queries run with
 * `search_path = pg_catalog`, so the deparsing functions (format_type, pg_get_expr,
 * pg_get_constraintdef, pg_get_indexdef, ...) qualify every user name with its schema.
 * @see https://www.postgresql.org/docs/current/catalogs.html
 * @see https://www.postgresql.org/docs/current/functions-info.html#FUNCTIONS-INFO-CATALOG
 */

/** Schemas that are never user data: pg_catalog, pg_toast*, pg_temp*, information_schema. */
export const USER_NAMESPACE = `(n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%')`;

/** Not a member of an extension (those come back with CREATE EXTENSION). */
function notExtensionMember(catalog: string, oid: string): string {
  return `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '${catalog}'::regclass AND e.objid = ${oid} AND e.deptype = 'e')`;
}

/** @see https://www.postgresql.org/docs/current/catalog-pg-namespace.html */
export interface SchemaRow {
  readonly oid: number;
  readonly name: string;
  readonly comment: string | null;
}

export const SCHEMAS_SQL = `
SELECT n.oid, n.nspname AS name, obj_description(n.oid, 'pg_namespace') AS comment
FROM pg_namespace n
WHERE ${USER_NAMESPACE} AND ${notExtensionMember("pg_namespace", "n.oid")}`;

/** A table, view, materialized view or sequence. @see https://www.postgresql.org/docs/current/catalog-pg-class.html */
export interface RelationRow {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  /** r table, p partitioned table, v view, m materialized view, S sequence, f foreign table. */
  readonly kind: "r" | "p" | "v" | "m" | "S" | "f";
  /** p permanent, u unlogged. */
  readonly persistence: string;
  readonly isPartition: boolean;
  readonly partitionKey: string | null;
  readonly partitionBound: string | null;
  readonly options: string[] | null;
  readonly populated: boolean;
  readonly comment: string | null;
  readonly estimate: number;
  /** Inheritance / partition parents, in inhseqno order. */
  readonly parents: number[];
  readonly viewDef: string | null;
  /** Relations a view's query reads (pg_depend of its rewrite rule). */
  readonly viewDeps: number[];
}

export const RELATIONS_SQL = `
SELECT c.oid, n.nspname AS schema, c.relname AS name, c.relkind AS kind, c.relpersistence AS persistence,
  c.relispartition AS "isPartition",
  CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS "partitionKey",
  CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS "partitionBound",
  c.reloptions::text[] AS options, c.relispopulated AS populated,
  obj_description(c.oid, 'pg_class') AS comment, c.reltuples::float8 AS estimate,
  ARRAY(SELECT i.inhparent FROM pg_inherits i WHERE i.inhrelid = c.oid ORDER BY i.inhseqno)::oid[] AS parents,
  CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END AS "viewDef",
  CASE WHEN c.relkind IN ('v', 'm') THEN ARRAY(
    SELECT DISTINCT d.refobjid FROM pg_rewrite r
    JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass
    WHERE r.ev_class = c.oid AND d.refobjid <> c.oid) ELSE '{}' END::oid[] AS "viewDeps"
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND ${USER_NAMESPACE} AND ${notExtensionMember("pg_class", "c.oid")}`;

/** @see https://www.postgresql.org/docs/current/catalog-pg-attribute.html */
export interface ColumnRow {
  readonly rel: number;
  readonly num: number;
  readonly name: string;
  /** format_type(atttypid, atttypmod). */
  readonly type: string;
  readonly typeOid: number;
  readonly typmod: number;
  readonly dims: number;
  readonly notNull: boolean;
  /** "" none, a ALWAYS, d BY DEFAULT. */
  readonly identity: string;
  /** "" none, s stored, v virtual (PostgreSQL 18). */
  readonly generated: string;
  readonly isLocal: boolean;
  readonly defaultExpr: string | null;
  readonly collationSchema: string | null;
  readonly collationName: string | null;
  readonly comment: string | null;
}

export const COLUMNS_SQL = `
SELECT a.attrelid AS rel, a.attnum AS num, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
  a.atttypid AS "typeOid", a.atttypmod AS typmod, a.attndims AS dims, a.attnotnull AS "notNull",
  a.attidentity::text AS identity, a.attgenerated::text AS generated, a.attislocal AS "isLocal",
  pg_get_expr(d.adbin, d.adrelid) AS "defaultExpr",
  CASE WHEN a.attcollation <> t.typcollation THEN cn.nspname END AS "collationSchema",
  CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS "collationName",
  col_description(a.attrelid, a.attnum) AS comment
FROM pg_attribute a
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum`;

/** @see https://www.postgresql.org/docs/current/catalog-pg-constraint.html */
export interface ConstraintRow {
  readonly oid: number;
  readonly rel: number;
  readonly name: string;
  /** p primary key, u unique, f foreign key, c check, x exclusion. */
  readonly type: "p" | "u" | "f" | "c" | "x";
  /** pg_get_constraintdef: `PRIMARY KEY (id)`, `CHECK ((a > 0)) NOT VALID`, ... */
  readonly def: string;
  readonly deferrable: boolean;
  readonly deferred: boolean;
  readonly validated: boolean;
  readonly isLocal: boolean;
  /** Cloned from a partitioned parent's constraint (comes back with it). */
  readonly hasParent: boolean;
  readonly columns: string[];
  readonly refSchema: string | null;
  readonly refTable: string | null;
  readonly refColumns: string[];
  /** a no action, r restrict, c cascade, n set null, d set default. */
  readonly onUpdate: string;
  readonly onDelete: string;
  readonly checkExpr: string | null;
  readonly comment: string | null;
}

const ATTNAMES = (keys: string, rel: string) =>
  `ARRAY(SELECT a.attname FROM unnest(${keys}) WITH ORDINALITY k(num, ord) JOIN pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.num ORDER BY k.ord)::text[]`;

export const CONSTRAINTS_SQL = `
SELECT c.oid, c.conrelid AS rel, c.conname AS name, c.contype::text AS type, pg_get_constraintdef(c.oid) AS def,
  c.condeferrable AS deferrable, c.condeferred AS deferred, c.convalidated AS validated, c.conislocal AS "isLocal",
  c.conparentid <> 0 AS "hasParent",
  ${ATTNAMES("c.conkey", "c.conrelid")} AS columns,
  fn.nspname AS "refSchema", fc.relname AS "refTable",
  ${ATTNAMES("c.confkey", "c.confrelid")} AS "refColumns",
  c.confupdtype::text AS "onUpdate", c.confdeltype::text AS "onDelete",
  CASE WHEN c.contype = 'c' THEN pg_get_expr(c.conbin, c.conrelid) END AS "checkExpr",
  obj_description(c.oid, 'pg_constraint') AS comment
FROM pg_constraint c
LEFT JOIN pg_class fc ON fc.oid = c.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE c.conrelid = ANY($1::oid[]) AND c.contype IN ('p', 'u', 'f', 'c', 'x')`;

/** @see https://www.postgresql.org/docs/current/catalog-pg-index.html */
export interface IndexRow {
  readonly oid: number;
  readonly rel: number;
  readonly schema: string;
  readonly name: string;
  /** pg_get_indexdef: the full CREATE INDEX statement. */
  readonly def: string;
  readonly unique: boolean;
  /** Backs a primary key, unique or exclusion constraint (created with it). */
  readonly isConstraint: boolean;
  /** Column number per key part (0 = expression). */
  readonly keys: number[];
  /** Column name or expression per key part. */
  readonly parts: string[];
  readonly descending: boolean[];
  readonly predicate: string | null;
  /** The partitioned index this one is attached to. */
  readonly parentSchema: string | null;
  readonly parentName: string | null;
  readonly comment: string | null;
}

export const INDEXES_SQL = `
SELECT i.indexrelid AS oid, i.indrelid AS rel, n.nspname AS schema, ic.relname AS name,
  pg_get_indexdef(i.indexrelid) AS def, i.indisunique AS unique,
  EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid
    AND k.contype IN ('p', 'u', 'x')) AS "isConstraint",
  ARRAY(SELECT i.indkey[k - 1] FROM generate_series(1, i.indnkeyatts) k ORDER BY k)::int4[] AS keys,
  ARRAY(SELECT CASE WHEN i.indkey[k - 1] = 0 THEN pg_get_indexdef(i.indexrelid, k, true) ELSE
    (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1]) END
    FROM generate_series(1, i.indnkeyatts) k ORDER BY k)::text[] AS parts,
  ARRAY(SELECT (i.indoption[k - 1] & 1) = 1 FROM generate_series(1, i.indnkeyatts) k ORDER BY k)::bool[] AS descending,
  pg_get_expr(i.indpred, i.indrelid) AS predicate,
  pn.nspname AS "parentSchema", pc.relname AS "parentName",
  obj_description(i.indexrelid, 'pg_class') AS comment
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = ic.relnamespace
LEFT JOIN pg_inherits h ON h.inhrelid = i.indexrelid
LEFT JOIN pg_class pc ON pc.oid = h.inhparent
LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace
WHERE i.indrelid = ANY($1::oid[])`;

/** @see https://www.postgresql.org/docs/current/catalog-pg-type.html */
export interface TypeInfoRow {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  /** b base, c composite, d domain, e enum, p pseudo, r range, m multirange. */
  readonly typtype: string;
  readonly category: string;
  readonly elem: number;
  readonly basetype: number;
  readonly relid: number;
  /** The composite's relation is a standalone type (relkind c), not a table's row type. */
  readonly standaloneComposite: boolean;
  readonly collatable: boolean;
  /** Has a default btree operator class (directly or through a binary-coercible cast). */
  readonly btree: boolean;
  readonly user: boolean;
  /** Types this one is built from: attributes, range subtype, domain base, array element. */
  readonly deps: number[];
}

export function typeInfoSql(serverVersionNum: number): string {
  const multirange = serverVersionNum >= 140000
    ? "UNION ALL SELECT r.rngtypid FROM pg_range r WHERE r.rngmultitypid = t.oid"
    : "";
  return `
SELECT t.oid, n.nspname AS schema, t.typname AS name, t.typtype::text AS typtype, t.typcategory::text AS category,
  t.typelem AS elem, t.typbasetype AS basetype, t.typrelid AS relid,
  COALESCE((SELECT c.relkind = 'c' FROM pg_class c WHERE c.oid = t.typrelid), false) AS "standaloneComposite",
  t.typcollation <> 0 AS collatable,
  EXISTS (SELECT 1 FROM pg_opclass o JOIN pg_am am ON am.oid = o.opcmethod
    WHERE am.amname = 'btree' AND o.opcdefault AND (o.opcintype = t.oid OR EXISTS (
      SELECT 1 FROM pg_cast k WHERE k.castsource = t.oid AND k.casttarget = o.opcintype AND k.castmethod = 'b'))) AS btree,
  ${USER_NAMESPACE} AND ${notExtensionMember("pg_type", "t.oid")} AS user,
  ARRAY(SELECT a.atttypid FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE a.attrelid = t.typrelid AND c.relkind = 'c' AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL SELECT r.rngsubtype FROM pg_range r WHERE r.rngtypid = t.oid
    ${multirange}
    UNION ALL SELECT t.typbasetype WHERE t.typbasetype <> 0
    UNION ALL SELECT t.typelem WHERE t.typelem <> 0 AND t.typcategory = 'A')::oid[] AS deps
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.oid = ANY($1::oid[])`;
}
