import { basename, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { GenDumpError } from "../errors.ts";
import type { EngineName } from "../model/schema-model.ts";
import type { DatabaseUrl, Dialect } from "./dialect.ts";

/**
 * Parse a `--db` value. PostgreSQL: `postgres://` or `postgresql://` URLs (missing parts
 * come from the standard PG* environment variables). SQLite: a path, `sqlite:PATH`,
 * `sqlite:///ABSOLUTE/PATH` or a `file:` URL. A relative SQLite path is relative to
 * `baseDir` (the config file's directory for its `db`), by default the working directory.
 */
export function parseDatabaseUrl(value: string | undefined, env: NodeJS.ProcessEnv = process.env, baseDir?: string): DatabaseUrl {
  // NOTE: with neither --db nor DATABASE_URL, PGHOST/PGDATABASE/PGSERVICE name a PostgreSQL
  // database the way psql and pg_dump take it (the URL's parts all come from PG*).
  const raw = value ?? (env.DATABASE_URL || (env.PGHOST || env.PGDATABASE || env.PGSERVICE ? "postgres://" : undefined));
  if (raw === undefined || raw === "") {
    throw new GenDumpError(
      "USAGE",
      "No database given: pass --db (a SQLite file path or a postgres:// URL), set DATABASE_URL, or set db in gen-dump.config.ts.",
    );
  }
  if (/^postgres(ql)?:/i.test(raw)) return parsePostgresUrl(raw, env);
  let path = raw;
  if (/^file:/i.test(raw)) path = fileURLToPath(raw);
  else if (/^sqlite:\/\//i.test(raw)) path = raw.slice("sqlite://".length);
  else if (/^sqlite:/i.test(raw)) path = raw.slice("sqlite:".length);
  if (path === "") throw new GenDumpError("USAGE", `The SQLite URL ${JSON.stringify(raw)} names no file.`);
  const absolute = path === ":memory:" ? path : resolve(baseDir ?? ".", path);
  return { engine: "sqlite", connection: absolute, display: baseDir === undefined ? path : absolute, databaseName: basename(absolute) };
}

function parsePostgresUrl(raw: string, env: NodeJS.ProcessEnv): DatabaseUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new GenDumpError("USAGE", `The PostgreSQL URL given with --db is not a valid URL: ${maskPassword(raw)}.`, {}, { cause: error });
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, "")) || env.PGDATABASE || decodeURIComponent(url.username) || env.PGUSER || "postgres";
  const shown = new URL(url.href);
  if (shown.password !== "") shown.password = "*****";
  return { engine: "postgres", connection: raw, display: shown.href, databaseName: database };
}

function maskPassword(raw: string): string {
  return raw.replace(/(\/\/[^:/@]*:)[^@]*@/, "$1*****@");
}

/**
 * The namespace a table goes into when nothing names one: engine facts as data, for code
 * outside the dialect folders (a table a migration step creates).
 */
export const DEFAULT_SCHEMA: Readonly<Record<EngineName, string | null>> = { sqlite: null, postgres: "public" };

/** Load the dialect of an engine. Drivers load lazily: SQLite users never load `pg`. */
export async function loadDialect(engine: EngineName): Promise<Dialect> {
  switch (engine) {
    case "sqlite":
      return (await import("./sqlite/sqlite-dialect.ts")).sqliteDialect;
    case "postgres":
      return (await import("./postgres/postgres-dialect.ts")).postgresDialect;
  }
}
