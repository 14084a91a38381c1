import { databaseError } from "../../errors.ts";
import { type AppVersionProbe, type DetectorRow, type FoundTable, detectAppVersion } from "../app-version-detectors.ts";
import type { SqliteDatabase } from "./sqlite-connection.ts";
import { quoteIdent } from "./sqlite-sql.ts";

/**
 * The SQLite side of application version detection: find a table in `main` and run the
 * detector's query; plus `PRAGMA user_version`, which applications (Android's
 * SQLiteOpenHelper, many hand-rolled migrators) use as their schema version.
 * Integers are read as bigint so a large golang-migrate version stays exact.
 * @see https://www.sqlite.org/pragma.html#pragma_user_version
 */
export function sqliteAppVersionProbe(db: SqliteDatabase): AppVersionProbe {
  return {
    async findTable(table: string): Promise<FoundTable | null> {
      // NOTE: SQLite table names are case-insensitive (ASCII), like its COLLATE NOCASE.
      const name = db.prepare("SELECT name FROM main.sqlite_master WHERE type IN ('table', 'view') AND name = ? COLLATE NOCASE ORDER BY name LIMIT 1").pluck().get(table);
      if (typeof name !== "string") return null;
      const columns = db.prepare("SELECT name FROM pragma_table_info(?, 'main') ORDER BY cid").pluck().all(name) as string[];
      return { sqlName: `main.${quoteIdent(name)}`, display: name, columns };
    },
    async firstRow(sql: string): Promise<DetectorRow | undefined> {
      return db.prepare(sql).safeIntegers(true).get() as DetectorRow | undefined;
    },
    quoteIdent,
    async userVersion(): Promise<number> {
      return Number(db.prepare("PRAGMA main.user_version").pluck().get());
    },
  };
}

/** The application version recorded in a SQLite database (see app-version-detectors.ts). */
export async function detectSqliteAppVersion(db: SqliteDatabase): Promise<string | null> {
  try {
    return await detectAppVersion(sqliteAppVersionProbe(db));
  } catch (error) {
    throw databaseError("READ", "Detecting the application version from the SQLite database failed (pass --app-version to skip detection)", error);
  }
}
