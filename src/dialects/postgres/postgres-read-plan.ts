import { type TableSchema, dataColumns } from "../../model/schema-model.ts";
import type { ColumnRow, RelationRow } from "./postgres-catalog.ts";
import { qualify, quoteIdent } from "./postgres-sql.ts";
import type { TypeCatalog } from "./postgres-types.ts";

/** How the reader selects one table's rows: the query inside `COPY (...) TO STDOUT`. */
export interface ReadPlan {
  readonly select: string;
}

/**
 * `SELECT <data columns> FROM ONLY <table> ORDER BY <orderBy>`.
 * - FROM ONLY: an inheritance parent's rows, not its children's (each child is dumped
 *   itself); a partitioned table has no rows of its own.
 * - collatable columns sort with `COLLATE "C"` (code-point order, the same on every
 *   server whatever its locale); types without a btree operator class (json, point,
 *   xml, composites) sort by their text form.
 * - a table without a primary key also sorts by its whole row's text form last, so rows
 *   that compare equal but print differently (numeric 1.5 and 1.50, 0 and -0) still come
 *   out in one order.
 * @see https://www.postgresql.org/docs/current/queries-order.html
 */
export function readPlanOf(rel: RelationRow, columns: readonly ColumnRow[], table: TableSchema, types: TypeCatalog): ReadPlan {
  const data = dataColumns(table);
  const byName = new Map(columns.map((c) => [c.name, c]));
  const keys = table.orderBy.map((name) => sortKey(quoteIdent(name), byName.get(name)!.typeOid, types));
  if (table.primaryKey === null && data.length > 0) {
    keys.push(`(ROW(${data.map(quoteIdent).join(", ")}))::text COLLATE "C"`);
  }
  const list = data.length === 0 ? "" : data.map(quoteIdent).join(", ");
  const order = keys.length === 0 ? "" : ` ORDER BY ${keys.join(", ")}`;
  return { select: `SELECT ${list} FROM ONLY ${qualify(rel.schema, rel.name)}${order}` };
}

function sortKey(column: string, typeOid: number, types: TypeCatalog): string {
  if (!types.sortable(typeOid)) return `${column}::text COLLATE "C"`;
  if (types.get(typeOid).collatable || types.baseOf(typeOid).collatable) return `${column} COLLATE "C"`;
  return column;
}
