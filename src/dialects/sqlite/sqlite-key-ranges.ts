import { GenDumpError } from "../../errors.ts";
import type { TableSchema } from "../../model/schema-model.ts";
import type { KeyRange } from "../dialect.ts";
import type { SqliteDatabase } from "./sqlite-connection.ts";
import { quoteIdent } from "./sqlite-sql.ts";

/**
 * The column a table's rows can be read by range in: the rowid (under the name the dump
 * gives it) or the INTEGER PRIMARY KEY that is its alias; null for any other table.
 * NOTE: a WITHOUT ROWID table's INTEGER PRIMARY KEY may hold text or reals (no type
 * affinity is enforced there), so it is never read by integer range.
 * @see https://www.sqlite.org/lang_createtable.html#rowid
 */
export function rangeKeyOf(table: TableSchema): string | null {
  if (table.options.withoutRowid === true || table.orderBy.length !== 1) return null;
  const key = table.orderBy[0]!;
  if (key === table.rowidColumn) return key;
  const pk = table.primaryKey?.columns ?? [];
  return table.rowidColumn === null && pk.length === 1 && pk[0] === key ? key : null;
}

/**
 * Key values at the `count`-quantiles of the table's rows (exact: `OFFSET` steps through
 * the rowid b-tree, reading no row's payload). See `SourceConnection.keySplits`.
 */
export function sqliteKeySplits(db: SqliteDatabase, table: TableSchema, count: number): bigint[] | null {
  const key = rangeKeyOf(table);
  if (key === null) return null;
  const [column, from] = [quoteIdent(key), quoteIdent(table.name)];
  const total = Number(db.prepare(`SELECT count(*) FROM ${from}`).pluck().get());
  const at = db.prepare(`SELECT ${column} FROM ${from} ORDER BY ${column} LIMIT 1 OFFSET ?`).pluck().safeIntegers(true);
  const splits: bigint[] = [];
  for (let k = 1; k < count; k++) {
    const value = at.get(Math.floor((k * total) / count));
    if (typeof value === "bigint" && (splits.length === 0 || value > splits[splits.length - 1]!)) splits.push(value);
  }
  return splits;
}

/** `WHERE` clause and parameters of a range read (empty for the whole table). */
export function rangeFilter(table: TableSchema, range: KeyRange | undefined): { readonly where: string; readonly params: bigint[] } {
  if (range === undefined || (range.from === null && range.to === null)) return { where: "", params: [] };
  const key = rangeKeyOf(table);
  if (key === null) throw new GenDumpError("INTERNAL", `Table ${table.name} has no integer key to read by range.`, { table: table.name });
  const column = quoteIdent(key);
  const terms: string[] = [];
  const params: bigint[] = [];
  if (range.from !== null) terms.push(`${column} >= ?`), params.push(range.from);
  if (range.to !== null) terms.push(`${column} < ?`), params.push(range.to);
  return { where: ` WHERE ${terms.join(" AND ")}`, params };
}
