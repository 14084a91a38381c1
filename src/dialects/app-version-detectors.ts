import { databaseError } from "../errors.ts";

/**
 * Reading an application's version from the record its migration tool keeps in the
 * database. The frameworks are data (which table, which columns, which row is the latest,
 * how that row becomes a version string); each dialect only supplies an
 * `AppVersionProbe` that finds a table and runs one query. The first detector in
 * `APP_VERSION_DETECTORS` order that yields a version wins; then SQLite's `user_version`.
 */

/** A row of a detector's query: the selected columns by name, as the driver returns them. */
export type DetectorRow = Readonly<Record<string, unknown>>;

/** One `ORDER BY` term. Every term sorts descending, with NULLs last on every engine. */
export interface DetectorOrder {
  readonly column: string;
  /**
   * Sort by the text's length first, so numeric strings compare as numbers
   * ("10" after "9") whether the column is text or an integer.
   */
  readonly numericText?: boolean;
}

/** How one migration tool's table is recognised and read. */
export interface AppVersionDetector {
  /** For messages and the README: "Prisma", "Knex"... */
  readonly framework: string;
  readonly table: string;
  /**
   * PostgreSQL schemas to prefer, in order (default `public`); a table of that name in any
   * other schema is used after these, schemas in code-point order. SQLite looks in `main`.
   */
  readonly schemas?: readonly string[];
  /** Columns the table must have (lower case); a table without them belongs to something else. */
  readonly columns: readonly string[];
  /** Columns that must hold NULL / not NULL for a row to count (e.g. finished migrations only). */
  readonly whereNull?: readonly string[];
  readonly whereNotNull?: readonly string[];
  /** The latest row is the first in this order (all descending). */
  readonly orderBy: readonly DetectorOrder[];
  /** The version of the latest row, or null when the row says nothing usable. */
  version(row: DetectorRow): string | null;
}

/** A table found by a probe: its quoted, qualified SQL name and its column names. */
export interface FoundTable {
  readonly sqlName: string;
  /** For messages: `schema.table` or `table`. */
  readonly display: string;
  readonly columns: readonly string[];
}

/** What a dialect provides to run the detectors. */
export interface AppVersionProbe {
  /**
   * The table named `table` (in `schemas` first on engines with schemas), or null when
   * there is none the connection may read.
   */
  findTable(table: string, schemas: readonly string[]): Promise<FoundTable | null>;
  /** Run one SELECT built by `detectorQuery` and return its first row, if any. */
  firstRow(sql: string): Promise<DetectorRow | undefined>;
  /** The engine's identifier quoting (the dialect's one escaper). */
  quoteIdent(name: string): string;
  /** SQLite: `PRAGMA user_version`. Engines without one leave it out. */
  userVersion?(): Promise<number>;
}

const text = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  const s = typeof value === "string" ? value : typeof value === "number" || typeof value === "bigint" ? String(value) : null;
  return s === null || s === "" ? null : s;
};

/** golang-migrate's `dirty` flag as the drivers return it (PG boolean, SQLite 0/1). */
const truthy = (value: unknown): boolean => value === true || value === 1 || value === 1n || value === "1" || value === "t" || value === "true";

/**
 * The recognised migration records, in precedence order (the README lists the same rules).
 * Names and columns are the tools' defaults; a renamed table is not recognised.
 */
export const APP_VERSION_DETECTORS: readonly AppVersionDetector[] = [
  {
    // Prisma Migrate: names start with a UTC timestamp and are applied in name order.
    framework: "Prisma",
    table: "_prisma_migrations",
    columns: ["migration_name", "finished_at", "rolled_back_at"],
    whereNotNull: ["finished_at"],
    whereNull: ["rolled_back_at"],
    orderBy: [{ column: "migration_name" }, { column: "finished_at" }],
    version: (row) => text(row.migration_name),
  },
  {
    framework: "Knex",
    table: "knex_migrations",
    columns: ["id", "name"],
    orderBy: [{ column: "id" }],
    version: (row) => text(row.name),
  },
  {
    // Drizzle keeps only a hash and the journal's `when` (folderMillis) of each migration;
    // `when` is stable across databases and readable in meta/_journal.json, so it is the version.
    framework: "Drizzle",
    table: "__drizzle_migrations",
    schemas: ["drizzle", "public"],
    columns: ["id", "hash", "created_at"],
    orderBy: [{ column: "created_at", numericText: true }, { column: "id" }],
    version: (row) => text(row.created_at) ?? text(row.hash),
  },
  {
    // Kysely's Migrator orders executed migrations by timestamp, then name.
    framework: "Kysely",
    table: "kysely_migration",
    columns: ["name", "timestamp"],
    orderBy: [{ column: "timestamp" }, { column: "name" }],
    version: (row) => text(row.name),
  },
  {
    framework: "TypeORM",
    table: "migrations",
    columns: ["id", "timestamp", "name"],
    orderBy: [{ column: "timestamp", numericText: true }, { column: "id" }],
    version: (row) => text(row.name),
  },
  {
    // Each Django app has its own chain; the most recently applied migration names one.
    framework: "Django",
    table: "django_migrations",
    columns: ["id", "app", "name"],
    orderBy: [{ column: "id" }],
    version: (row) => (text(row.app) === null || text(row.name) === null ? null : `${text(row.app)}:${text(row.name)}`),
  },
  {
    // golang-migrate: one row, the version and whether the last migration failed halfway.
    framework: "golang-migrate",
    table: "schema_migrations",
    columns: ["version", "dirty"],
    orderBy: [{ column: "version", numericText: true }],
    version: (row) => {
      const version = text(row.version);
      return version === null ? null : truthy(row.dirty) ? `${version}-dirty` : version;
    },
  },
  {
    // Rails (and dbmate, Ecto): one row per applied migration; the greatest version.
    framework: "Rails",
    table: "schema_migrations",
    columns: ["version"],
    orderBy: [{ column: "version", numericText: true }],
    version: (row) => text(row.version),
  },
];

/** The SELECT that reads a detector's latest row from `found`. */
export function detectorQuery(detector: AppVersionDetector, found: FoundTable, quote: (name: string) => string): string {
  // The table's own spelling of each column (the detectors use lower case), aliased back to lower case.
  const actual = new Map(found.columns.map((c) => [c.toLowerCase(), c]));
  const quoteIdent = (column: string) => quote(actual.get(column) ?? column);
  const selected = [...new Set([...detector.columns, ...detector.orderBy.map((o) => o.column)])];
  const conditions = [
    ...(detector.whereNotNull ?? []).map((c) => `${quoteIdent(c)} IS NOT NULL`),
    ...(detector.whereNull ?? []).map((c) => `${quoteIdent(c)} IS NULL`),
  ];
  // NOTE: PostgreSQL sorts NULLs first in DESC order, SQLite last; `(x IS NULL)` first makes both put them last.
  const order = detector.orderBy.flatMap((o) => {
    const column = quoteIdent(o.column);
    const terms = [`(${column} IS NULL)`];
    if (o.numericText) terms.push(`length(CAST(${column} AS TEXT)) DESC`);
    terms.push(`${column} DESC`);
    return terms;
  });
  return (
    `SELECT ${selected.map((c) => `${quoteIdent(c)} AS ${quote(c)}`).join(", ")} FROM ${found.sqlName}` +
    (conditions.length > 0 ? ` WHERE ${conditions.join(" AND ")}` : "") +
    ` ORDER BY ${order.join(", ")} LIMIT 1`
  );
}

/**
 * The application version recorded in the database, or null when no recognised
 * migrations record holds one. A table whose columns are not the tool's is skipped; an
 * error running the query on a table of the right shape is a READ error, not ignored.
 */
export async function detectAppVersion(probe: AppVersionProbe): Promise<string | null> {
  for (const detector of APP_VERSION_DETECTORS) {
    const found = await probe.findTable(detector.table, detector.schemas ?? ["public"]);
    if (found === null) continue;
    const columns = new Set(found.columns.map((c) => c.toLowerCase()));
    if (!detector.columns.every((c) => columns.has(c))) continue;
    const sql = detectorQuery(detector, found, probe.quoteIdent);
    let row: DetectorRow | undefined;
    try {
      row = await probe.firstRow(sql);
    } catch (error) {
      throw databaseError("READ", `Reading the application version from ${detector.framework}'s table ${found.display} failed (pass --app-version to skip detection)`, error, {
        table: found.display,
        sql,
      });
    }
    const version = row === undefined ? null : detector.version(row);
    if (version !== null) return version;
  }
  const user = (await probe.userVersion?.()) ?? 0;
  return user !== 0 ? String(user) : null;
}
