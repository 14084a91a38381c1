import type { TableSchema } from "../../model/schema-model.ts";
import { referencedColumns } from "../portable-sql.ts";

/**
 * The names PostgreSQL gives constraints created without one: `t_pkey`, `t_a_b_key`,
 * `t_a_fkey`, `t_a_check` (a check on one column), `t_check` (on several). The model calls
 * such a constraint unnamed (`name: null`), the way SQLite, which names none of them,
 * does; restoring a model into PostgreSQL gives an unnamed constraint exactly this name
 * again. So a SQLite table's unnamed constraints stay unnamed through PostgreSQL and back,
 * and a PostgreSQL constraint keeps its name either way (the mapping is one to one).
 * @see https://www.postgresql.org/docs/current/ddl-constraints.html
 */

/** PostgreSQL's identifier limit in bytes (NAMEDATALEN - 1); longer default names are truncated by rules we do not copy. */
const MAX_NAME_BYTES = 63;

export type ConstraintKind = "primary key" | "unique" | "foreign key" | "check";

/** The name PostgreSQL would choose, or null when that name would be truncated. */
export function defaultConstraintName(table: Pick<TableSchema, "name" | "columns">, kind: ConstraintKind, columns: readonly string[]): string | null {
  const parts = [table.name];
  if (kind !== "primary key") parts.push(...columns);
  parts.push(kind === "primary key" ? "pkey" : kind === "unique" ? "key" : kind === "foreign key" ? "fkey" : "check");
  const name = parts.join("_");
  return Buffer.byteLength(name) <= MAX_NAME_BYTES ? name : null;
}

/** The columns PostgreSQL names a check after: the one column it uses, else none. */
export function checkNameColumns(table: Pick<TableSchema, "columns">, expression: string): string[] {
  const used = referencedColumns(expression, table.columns.map((c) => c.name));
  return used.length === 1 ? used : [];
}

/** `name`, or null when it is the default name of that constraint. */
export function unlessDefault(name: string, table: Pick<TableSchema, "name" | "columns">, kind: ConstraintKind, columns: readonly string[]): string | null {
  return name === defaultConstraintName(table, kind, columns) ? null : name;
}
