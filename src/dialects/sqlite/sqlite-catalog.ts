import type { SqliteDatabase } from "./sqlite-connection.ts";
import { asciiLower, quoteIdent } from "./sqlite-sql.ts";
import { type Affinity, affinityOf } from "./sqlite-types.ts";

/**
 * Typed rows of the SQLite catalog the introspector reads, with the queries that produce
 * them. Kept apart from the neutral model: these mirror what SQLite reports, and the
 * introspector turns them into `TableSchema`s. Pragmas are read through their
 * table-valued functions so a table name is a bound parameter, never spliced into SQL.
 * @see https://www.sqlite.org/pragma.html#pragfunc
 */

/** A row of `sqlite_schema` (alias `sqlite_master`). @see https://www.sqlite.org/schematab.html */
export interface MasterRow {
  readonly type: "table" | "index" | "view" | "trigger";
  readonly name: string;
  readonly tableName: string;
  /** NULL for automatic indexes (UNIQUE / PRIMARY KEY constraints). */
  readonly sql: string | null;
}

/** In creation order (rowid), which is the order restore recreates objects in. */
export function readMaster(db: SqliteDatabase): MasterRow[] {
  return db.prepare('SELECT type, name, tbl_name AS "tableName", sql FROM main.sqlite_master ORDER BY rowid').all() as MasterRow[];
}

/** @see https://www.sqlite.org/pragma.html#pragma_table_list */
export interface TableListRow {
  readonly name: string;
  /** `shadow` tables belong to a virtual table (FTS5 `_data`, `_idx`...). */
  readonly type: "table" | "view" | "shadow" | "virtual";
  /** 1 for WITHOUT ROWID. */
  readonly wr: number;
  /** 1 for STRICT. */
  readonly strict: number;
}

export function readTableList(db: SqliteDatabase): TableListRow[] {
  return db.prepare("SELECT name, type, wr, strict FROM pragma_table_list WHERE schema = 'main'").all() as TableListRow[];
}

/** @see https://www.sqlite.org/pragma.html#pragma_table_xinfo */
export interface TableXInfoRow {
  readonly cid: number;
  readonly name: string;
  /** The declared type as written (`""` when none). */
  readonly type: string;
  readonly notNull: number;
  /** The DEFAULT expression as written, or null. */
  readonly defaultValue: string | null;
  /** 1-based position in the primary key, 0 when not part of it. */
  readonly pk: number;
  /** 0 normal, 1 hidden column of a virtual table, 2 generated VIRTUAL, 3 generated STORED. */
  readonly hidden: number;
}

export function readTableXInfo(db: SqliteDatabase, table: string): TableXInfoRow[] {
  return db
    .prepare(`SELECT cid, name, type, "notnull" AS "notNull", dflt_value AS "defaultValue", pk, hidden FROM pragma_table_xinfo(?, 'main') ORDER BY cid`)
    .all(table) as TableXInfoRow[];
}

/** @see https://www.sqlite.org/pragma.html#pragma_index_list */
export interface IndexListRow {
  readonly name: string;
  readonly unique: number;
  /** `c` CREATE INDEX, `u` UNIQUE constraint, `pk` PRIMARY KEY constraint. */
  readonly origin: "c" | "u" | "pk";
  readonly partial: number;
}

export function readIndexList(db: SqliteDatabase, table: string): IndexListRow[] {
  return db.prepare("SELECT name, \"unique\", origin, partial FROM pragma_index_list(?, 'main') ORDER BY seq").all(table) as IndexListRow[];
}

/** @see https://www.sqlite.org/pragma.html#pragma_index_xinfo */
export interface IndexXInfoRow {
  readonly seqno: number;
  /** Column number; -1 the rowid, -2 an expression. */
  readonly cid: number;
  readonly name: string | null;
  readonly desc: number;
  readonly coll: string | null;
  /** 1 for key columns, 0 for the auxiliary columns every index carries. */
  readonly key: number;
}

/** Key columns only, in index order. */
export function readIndexKeys(db: SqliteDatabase, index: string): IndexXInfoRow[] {
  return db
    .prepare("SELECT seqno, cid, name, \"desc\", coll, \"key\" FROM pragma_index_xinfo(?, 'main') WHERE \"key\" = 1 ORDER BY seqno")
    .all(index) as IndexXInfoRow[];
}

/** @see https://www.sqlite.org/pragma.html#pragma_foreign_key_list */
export interface ForeignKeyListRow {
  /** One id per foreign key; NOTE: ids count from the LAST declared key (0 = last). */
  readonly id: number;
  readonly seq: number;
  /** The parent table as written in REFERENCES (any letter case). */
  readonly table: string;
  readonly from: string;
  /** null when REFERENCES names no columns (the parent's primary key). */
  readonly to: string | null;
  readonly onUpdate: string;
  readonly onDelete: string;
}

export function readForeignKeys(db: SqliteDatabase, table: string): ForeignKeyListRow[] {
  return db
    .prepare(`SELECT id, seq, "table", "from", "to", on_update AS "onUpdate", on_delete AS "onDelete" FROM pragma_foreign_key_list(?, 'main') ORDER BY id, seq`)
    .all(table) as ForeignKeyListRow[];
}

/**
 * How many rows `PRAGMA foreign_key_check` reports for a table: references whose parent
 * row is missing. null when SQLite refuses to check (a "foreign key mismatch": the parent
 * key is not unique, or names columns that do not exist).
 *
 * Counted with one query per foreign key that looks the references up in key order
 * (through the child's index on them when there is one, else after a sort), so the
 * parent's pages are read once each. The pragma looks them up in the child's row order:
 * with a parent larger than SQLite's page cache that re-reads a page per row, and took
 * 5.6 s of a 1M-row dump (0.5 s this way) and grew faster than the table. The pragma
 * stays the fallback when a query cannot be built (a missing parent table).
 * @see https://www.sqlite.org/pragma.html#pragma_foreign_key_check
 */
export function countForeignKeyViolations(db: SqliteDatabase, table: string): number | null {
  try {
    return countByKeyOrder(db, table);
  } catch {
    try {
      return Number(db.prepare("SELECT count(*) FROM pragma_foreign_key_check(?, 'main')").pluck().get(table));
    } catch {
      return null;
    }
  }
}

function countByKeyOrder(db: SqliteDatabase, table: string): number {
  const byId = new Map<number, ForeignKeyListRow[]>();
  for (const row of readForeignKeys(db, table)) byId.set(row.id, [...(byId.get(row.id) ?? []), row]);
  const childColumns = readTableXInfo(db, table);
  let total = 0;
  for (const parts of byId.values()) {
    const parent = parts[0]!.table;
    const parentColumns = readTableXInfo(db, parent);
    const refs = parts.some((p) => p.to === null) ? primaryKeyOf(parentColumns) : parts.map((p) => p.to!);
    // NOTE: a parent key that is not unique is SQLite's "foreign key mismatch": the pragma fallback reports it.
    if (refs.length !== parts.length || !isUniqueKey(db, parent, parentColumns, refs)) throw new Error(`foreign key of ${table} does not match a key of ${parent}`);
    // NOTE: the pragma converts each reference to its parent column's affinity; with equal affinities there is nothing to convert.
    const from = affinities(childColumns, parts.map((p) => p.from));
    const to = affinities(parentColumns, refs);
    if (!from.every((a, i) => a !== null && a === to[i])) throw new Error(`foreign key of ${table} converts values`);
    const keys = parts.map((p, i) => `${quoteIdent(p.from)} AS k${i}`).join(", ");
    const notNull = parts.map((p) => `${quoteIdent(p.from)} IS NOT NULL`).join(" AND ");
    const order = parts.map((_, i) => String(i + 1)).join(", ");
    const match = refs.map((r, i) => `p.${quoteIdent(r)} = c.k${i}`).join(" AND ");
    const sql =
      `SELECT count(*) FROM (SELECT ${keys} FROM main.${quoteIdent(table)} WHERE ${notNull} ORDER BY ${order}) AS c ` +
      `WHERE NOT EXISTS (SELECT 1 FROM main.${quoteIdent(parent)} AS p WHERE ${match})`;
    total += Number(db.prepare(sql).pluck().get());
  }
  return total;
}

/** The affinity of each named column (null: no such column). */
function affinities(columns: readonly TableXInfoRow[], names: readonly string[]): (Affinity | null)[] {
  return names.map((n) => {
    const column = columns.find((c) => asciiLower(c.name) === asciiLower(n));
    return column === undefined ? null : affinityOf(column.type);
  });
}

/** Whether `names` are the table's primary key or the key columns of one of its full unique indexes. */
function isUniqueKey(db: SqliteDatabase, table: string, columns: readonly TableXInfoRow[], names: readonly string[]): boolean {
  const same = (key: readonly (string | null)[]) => key.length === names.length && key.every((k) => k !== null && names.some((n) => asciiLower(n) === asciiLower(k)));
  if (same(primaryKeyOf(columns))) return true;
  return readIndexList(db, table).some((i) => i.unique === 1 && i.partial === 0 && same(readIndexKeys(db, i.name).map((k) => k.name)));
}

function primaryKeyOf(columns: readonly TableXInfoRow[]): string[] {
  return columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
}

/**
 * The AUTOINCREMENT counter of a table: a safe integer as a number, a larger one as a
 * decimal string (the schema model is JSON), null when `sqlite_sequence` has no row.
 * @see https://www.sqlite.org/autoinc.html
 */
export function readSequence(db: SqliteDatabase, table: string): number | string | null {
  const exists = db.prepare("SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'").get();
  if (exists === undefined) return null;
  const seq = db.prepare("SELECT seq FROM main.sqlite_sequence WHERE name = ? ORDER BY rowid LIMIT 1").pluck().safeIntegers(true).get(table);
  if (seq === undefined || seq === null) return null;
  if (typeof seq !== "bigint") return String(seq);
  return seq >= BigInt(Number.MIN_SAFE_INTEGER) && seq <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(seq) : seq.toString();
}

/** Database-wide settings a restore brings back. @see https://www.sqlite.org/pragma.html#pragma_user_version */
export function readSettings(db: SqliteDatabase): Record<string, string | number> {
  return {
    application_id: Number(db.prepare("PRAGMA main.application_id").pluck().get()),
    encoding: String(db.prepare("PRAGMA main.encoding").pluck().get()),
    user_version: Number(db.prepare("PRAGMA main.user_version").pluck().get()),
  };
}

/** Whether a name is one SQLite reserves for itself (`sqlite_` in any letter case). */
export function isInternalName(name: string): boolean {
  return asciiLower(name.slice(0, 7)) === "sqlite_";
}
