import { GenDumpError } from "../../errors.ts";
import { type TableSchema, dataColumns } from "../../model/schema-model.ts";
import type { KeyRange } from "../dialect.ts";
import type { ColumnRow, RelationRow } from "./postgres-catalog.ts";
import { qualify, quoteIdent } from "./postgres-sql.ts";
import type { TypeCatalog } from "./postgres-types.ts";

/** How the reader selects one table's rows: the query inside `COPY (...) TO STDOUT`. */
export interface ReadPlan {
  readonly select: string;
  /** `ONLY <table>`: what the query reads from. */
  readonly relation: string;
  /** `select` is `head` + `order` (a range read puts its WHERE between them). */
  readonly head: string;
  readonly order: string;
  /**
   * The quoted key column the rows can be read by range in (a one-column primary key of
   * an integer type, which is then the whole `ORDER BY`), or null.
   */
  readonly rangeKey: string | null;
}

/** The plan's query, for the rows of `range` only when one is given. */
export function selectOf(plan: ReadPlan, range: KeyRange | undefined): string {
  if (range === undefined || (range.from === null && range.to === null)) return plan.select;
  if (plan.rangeKey === null) throw new GenDumpError("INTERNAL", `${plan.relation} has no integer key to read by range.`);
  const terms: string[] = [];
  // NOTE: bigint's decimal text is a plain numeric literal (digits, maybe a minus sign).
  if (range.from !== null) terms.push(`${plan.rangeKey} >= ${range.from.toString()}`);
  if (range.to !== null) terms.push(`${plan.rangeKey} < ${range.to.toString()}`);
  return `${plan.head} WHERE ${terms.join(" AND ")}${plan.order}`;
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
  const relation = `ONLY ${qualify(rel.schema, rel.name)}`;
  const head = `SELECT ${list} FROM ${relation}`;
  return { select: `${head}${order}`, relation, head, order, rangeKey: rangeKeyOf(table) };
}

function rangeKeyOf(table: TableSchema): string | null {
  const pk = table.primaryKey?.columns ?? [];
  if (pk.length !== 1 || table.orderBy.length !== 1 || table.orderBy[0] !== pk[0]) return null;
  const column = table.columns.find((c) => c.name === pk[0]);
  return column?.kind === "integer" && column.generated === null ? quoteIdent(column.name) : null;
}

function sortKey(column: string, typeOid: number, types: TypeCatalog): string {
  if (!types.sortable(typeOid)) return `${column}::text COLLATE "C"`;
  if (types.get(typeOid).collatable || types.baseOf(typeOid).collatable) return `${column} COLLATE "C"`;
  return column;
}
