import { databaseError } from "../../errors.ts";
import { type AppVersionProbe, type DetectorRow, type FoundTable, detectAppVersion } from "../app-version-detectors.ts";
import type { PgSession } from "./postgres-connection.ts";
import { qualify, quoteIdent } from "./postgres-sql.ts";

/**
 * A migrations table named `$1`: in the first of the preferred schemas `$2` that has one,
 * else in the first other schema in code-point order.
 * NOTE: the dialect's sessions run with `search_path = pg_catalog`, so the application's
 * search path cannot decide; the preferred schemas (`public`, Drizzle's `drizzle`) stand in.
 * NOTE: a table the role may not read is treated as absent: detection never makes a
 * restricted role's dump fail over a table it was not asked to dump.
 */
const FIND_TABLE_SQL = `
SELECT n.nspname AS schema, c.relname AS name,
       ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS columns
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
  AND pg_catalog.has_schema_privilege(n.oid, 'USAGE') AND pg_catalog.has_table_privilege(c.oid, 'SELECT')
ORDER BY pg_catalog.array_position($2::text[], n.nspname::text) NULLS LAST, n.nspname COLLATE "C"
LIMIT 1`;

/** The PostgreSQL side of application version detection, inside the source's snapshot. */
export function postgresAppVersionProbe(session: PgSession): AppVersionProbe {
  return {
    async findTable(table: string, schemas: readonly string[]): Promise<FoundTable | null> {
      const [row] = await session.query<{ schema: string; name: string; columns: string[] }>(FIND_TABLE_SQL, [table, schemas]);
      if (row === undefined) return null;
      return { sqlName: qualify(row.schema, row.name), display: `${row.schema}.${row.name}`, columns: row.columns };
    },
    async firstRow(sql: string): Promise<DetectorRow | undefined> {
      return (await session.query<Record<string, unknown>>(sql))[0];
    },
    quoteIdent,
  };
}

/** The application version recorded in a PostgreSQL database (see app-version-detectors.ts). */
export async function detectPostgresAppVersion(session: PgSession): Promise<string | null> {
  try {
    return await detectAppVersion(postgresAppVersionProbe(session));
  } catch (error) {
    throw databaseError("READ", `Detecting the application version from ${session.url.display} failed (pass --app-version to skip detection)`, error);
  }
}
