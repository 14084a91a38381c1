/**
 * Catalog rows for the objects around the tables: sequences, user types, triggers,
 * functions and extensions. See `postgres-catalog.ts` for the conventions.
 */
import { USER_NAMESPACE } from "./postgres-catalog.ts";

/** @see https://www.postgresql.org/docs/current/catalog-pg-sequence.html */
export interface SequenceRow {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  /** format_type of seqtypid: smallint, integer or bigint. */
  readonly type: string;
  readonly start: string;
  readonly increment: string;
  readonly min: string;
  readonly max: string;
  readonly cache: string;
  readonly cycle: boolean;
  readonly unlogged: boolean;
  /** The role may read the sequence's state (SELECT privilege). */
  readonly readable: boolean;
  /** Owning table and column (serial: OWNED BY; identity: the identity column). */
  readonly ownerRel: number | null;
  readonly ownerColumn: string | null;
  /** a: OWNED BY (serial), i: identity sequence. */
  readonly ownerKind: string | null;
  readonly comment: string | null;
}

export const SEQUENCES_SQL = `
SELECT c.oid, n.nspname AS schema, c.relname AS name, format_type(s.seqtypid, NULL) AS type,
  s.seqstart::text AS start, s.seqincrement::text AS increment, s.seqmin::text AS min, s.seqmax::text AS max,
  s.seqcache::text AS cache, s.seqcycle AS cycle, c.relpersistence = 'u' AS unlogged,
  has_sequence_privilege(c.oid, 'SELECT') AS readable,
  d.refobjid AS "ownerRel", a.attname AS "ownerColumn", d.deptype::text AS "ownerKind",
  obj_description(c.oid, 'pg_class') AS comment
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
  AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
WHERE c.oid = ANY($1::oid[])`;

/** State of a sequence, read from the sequence relation itself. */
export interface SequenceStateRow {
  readonly oid: number;
  readonly lastValue: string;
  readonly isCalled: boolean;
}

/** A user-defined enum, domain, composite, range or multirange type. */
export interface TypeDetailRow {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly typtype: "e" | "d" | "c" | "r" | "m";
  /** Enum labels in enumsortorder. */
  readonly labels: string[];
  /** Domain: base type with its modifier, NOT NULL, default, collation. */
  readonly baseType: string | null;
  readonly notNull: boolean;
  readonly defaultExpr: string | null;
  readonly collationSchema: string | null;
  readonly collationName: string | null;
  /** Domain CHECK constraints: [name, pg_get_constraintdef] in name order. */
  readonly checks: string[][];
  /** Composite attributes: [name, format_type, collation schema, collation name]. */
  readonly attributes: (string | null)[][];
  /** Range: subtype, non-default opclass, canonical and diff functions (qualified), multirange. */
  readonly subtype: string | null;
  readonly opclass: string[] | null;
  readonly canonical: string[] | null;
  readonly subdiff: string[] | null;
  readonly multirange: string[] | null;
  readonly rangeOf: number | null;
  readonly comment: string | null;
}

/**
 * @see https://www.postgresql.org/docs/current/catalog-pg-enum.html
 * @see https://www.postgresql.org/docs/current/catalog-pg-range.html
 */
export function typeDetailsSql(serverVersionNum: number): string {
  const multi = serverVersionNum >= 140000;
  const proc = (col: string) =>
    `(SELECT ARRAY[pn.nspname::text, p.proname::text] FROM pg_proc p JOIN pg_namespace pn ON pn.oid = p.pronamespace WHERE p.oid = r.${col})`;
  return `
SELECT t.oid, n.nspname AS schema, t.typname AS name, t.typtype::text AS typtype,
  ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)::text[] AS labels,
  CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS "baseType",
  t.typnotnull AS "notNull", t.typdefault AS "defaultExpr",
  CASE WHEN t.typtype = 'd' AND t.typcollation <> bt.typcollation THEN cn.nspname END AS "collationSchema",
  CASE WHEN t.typtype = 'd' AND t.typcollation <> bt.typcollation THEN co.collname END AS "collationName",
  ARRAY(SELECT ARRAY[k.conname::text, pg_get_constraintdef(k.oid)] FROM pg_constraint k
    WHERE k.contypid = t.oid AND k.contype = 'c' ORDER BY k.conname COLLATE "C") AS checks,
  ARRAY(SELECT ARRAY[a.attname::text, format_type(a.atttypid, a.atttypmod),
      CASE WHEN a.attcollation <> at.typcollation THEN acn.nspname::text END,
      CASE WHEN a.attcollation <> at.typcollation THEN aco.collname::text END]
    FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid
    LEFT JOIN pg_collation aco ON aco.oid = a.attcollation LEFT JOIN pg_namespace acn ON acn.oid = aco.collnamespace
    WHERE t.typtype = 'c' AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS attributes,
  CASE WHEN r.rngtypid IS NOT NULL THEN format_type(r.rngsubtype, NULL) END AS subtype,
  (SELECT ARRAY[on_.nspname::text, o.opcname::text] FROM pg_opclass o JOIN pg_namespace on_ ON on_.oid = o.opcnamespace
    WHERE o.oid = r.rngsubopc AND NOT o.opcdefault) AS opclass,
  ${proc("rngcanonical")} AS canonical, ${proc("rngsubdiff")} AS subdiff,
  ${multi ? `(SELECT ARRAY[mn.nspname::text, mt.typname::text] FROM pg_type mt JOIN pg_namespace mn ON mn.oid = mt.typnamespace WHERE mt.oid = r.rngmultitypid)` : "NULL::text[]"} AS multirange,
  ${multi ? "(SELECT mr.rngtypid FROM pg_range mr WHERE mr.rngmultitypid = t.oid)" : "NULL::oid"} AS "rangeOf",
  obj_description(t.oid, 'pg_type') AS comment
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_collation co ON co.oid = t.typcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
LEFT JOIN pg_range r ON r.rngtypid = t.oid
WHERE t.oid = ANY($1::oid[])`;
}

/** @see https://www.postgresql.org/docs/current/catalog-pg-trigger.html */
export interface TriggerRow {
  readonly rel: number;
  readonly name: string;
  /** pg_get_triggerdef: the full CREATE TRIGGER statement. */
  readonly def: string;
  /** O origin/local, D disabled, R replica, A always. */
  readonly enabled: string;
  readonly functionOid: number;
  readonly comment: string | null;
}

export function triggersSql(serverVersionNum: number): string {
  // NOTE: a partition's clone of its parent's trigger (tgparentid, PostgreSQL 13+) comes back with the parent's.
  const notCloned = serverVersionNum >= 130000 ? "AND t.tgparentid = 0" : "";
  return `
SELECT t.tgrelid AS rel, t.tgname AS name, pg_get_triggerdef(t.oid) AS def, t.tgenabled::text AS enabled,
  t.tgfoid AS "functionOid", obj_description(t.oid, 'pg_trigger') AS comment
FROM pg_trigger t
WHERE t.tgrelid = ANY($1::oid[]) AND NOT t.tgisinternal ${notCloned}`;
}

/** A user function or procedure. @see https://www.postgresql.org/docs/current/catalog-pg-proc.html */
export interface FunctionRow {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  /** `schema.name(argtypes)` as regprocedure prints it (qualified: search_path is pg_catalog). */
  readonly signature: string;
  readonly kind: string;
  readonly def: string;
  readonly comment: string | null;
}

/**
 * Functions in the given schemas, plus the ones given by OID (trigger functions elsewhere).
 * Leaves out extension members and functions internal to a type (range constructors),
 * which come back with their extension or type.
 */
export const FUNCTIONS_SQL = `
SELECT p.oid, n.nspname AS schema, p.proname AS name, p.oid::regprocedure::text AS signature,
  p.prokind::text AS kind, pg_get_functiondef(p.oid) AS def, obj_description(p.oid, 'pg_proc') AS comment
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE p.prokind IN ('f', 'p') AND ${USER_NAMESPACE}
  AND (n.oid = ANY($1::oid[]) OR p.oid = ANY($2::oid[]))
  AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype IN ('e', 'i'))`;

/** @see https://www.postgresql.org/docs/current/catalog-pg-extension.html */
export interface ExtensionRow {
  readonly name: string;
  readonly schema: string;
}

export const EXTENSIONS_SQL = `
SELECT e.extname AS name, n.nspname AS schema
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql'`;
