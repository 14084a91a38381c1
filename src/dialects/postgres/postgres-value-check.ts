import { GenDumpError } from "../../errors.ts";
import { type TableSchema, displayName } from "../../model/schema-model.ts";
import type { DumpRow, DumpValue } from "../../model/values.ts";
import type { PgSession } from "./postgres-connection.ts";
import { formatFloat } from "./postgres-copy-text.ts";
import { postgresColumnType } from "./postgres-type-map.ts";

/**
 * Prove that a batch of another engine's rows was stored exactly. PostgreSQL accepts
 * many spellings of a date, a uuid or a number and keeps its own (`2020-01-01T10:00Z` →
 * `2020-01-01 10:00:00`, `A0EE…` → `a0ee…`, `1.234` in numeric(10,2) → `1.23`); such
 * a value would come back changed, so it is an error naming table, column and row.
 * One query per verified column and batch: PostgreSQL itself decides, under the
 * session's fixed DateStyle and TimeZone (see postgres-sql.ts).
 */
export async function verifyPortableValues(
  session: PgSession,
  table: TableSchema,
  names: readonly string[],
  keep: readonly number[],
  rows: readonly DumpRow[],
): Promise<void> {
  for (let k = 0; k < names.length; k++) {
    const column = table.columns.find((c) => c.name === names[k]);
    if (column === undefined) continue;
    const type = postgresColumnType(column);
    if (type.verify === null) continue;
    const values = rows.map((row) => textOf(row[keep[k]!] ?? null));
    if (values.every((v) => v === null)) continue;
    const changed = type.verify === "text" ? `t::${type.sql}::text IS DISTINCT FROM t` : `t::${type.sql} IS DISTINCT FROM t::numeric`;
    const [found] = await session.query<{ row: string; given: string; stored: string }>(
      `SELECT (i - 1)::text AS row, t AS given, t::${type.sql}::text AS stored FROM unnest($1::text[]) WITH ORDINALITY AS v(t, i) WHERE t IS NOT NULL AND ${changed} ORDER BY i LIMIT 1`,
      [values],
    );
    if (found !== undefined) {
      const name = displayName(table);
      const row = Number(found.row);
      throw new GenDumpError(
        "RESTORE",
        `Loading table ${name} failed at row ${row} (column ${column.name}): PostgreSQL ${type.sql} would store ${JSON.stringify(found.given)} as ${JSON.stringify(found.stored)}, ` +
          "so the value would not come back as it was. Change it in the source, or convert it with a transform in restore.ts.",
        { table: name, column: column.name, row },
      );
    }
  }
}

function textOf(value: DumpValue): string | null {
  if (value === null) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number") return formatFloat(value);
  if (typeof value === "bigint" || typeof value === "boolean") return String(value);
  return null;
}
