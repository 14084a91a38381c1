import { randomBytes } from "node:crypto";
import { databaseError } from "../../errors.ts";
import type { DatabaseUrl, Dialect, ScratchDatabase, SourceOptions, TargetOptions } from "../dialect.ts";
import { type PgSession, openSession } from "./postgres-connection.ts";
import { quoteIdent } from "./postgres-sql.ts";

/** Source options of this dialect: `snapshot` joins the snapshot another source exported. */
export interface PostgresSourceOptions extends SourceOptions {
  readonly snapshot?: string;
}

/**
 * The PostgreSQL dialect. `pg` and `pg-copy-streams` are loaded on the first connection
 * (see postgres-connection.ts), and the source's and the target's modules with the first
 * source or target, while it connects: a restore does not load the dump's side, nor a
 * dump the restore's (a restore loads 61 of gen-dump's modules instead of 74, each through tsx).
 */
export const postgresDialect: Dialect = {
  engine: "postgres",
  async openSource(options: PostgresSourceOptions) {
    const [{ PostgresSource }, session] = await Promise.all([import("./postgres-source.ts"), openSession(options.url)]);
    return PostgresSource.open(session, options.selection, options.snapshot);
  },
  async openTarget(options: TargetOptions) {
    const [{ PostgresTarget }, session] = await Promise.all([import("./postgres-writer.ts"), openSession(options.url)]);
    return new PostgresTarget(session);
  },
  createScratch,
};

/** A new empty database on the same server, for the Double Dump Test. */
async function createScratch(url: DatabaseUrl): Promise<ScratchDatabase> {
  const name = `gen_dump_scratch_${randomBytes(6).toString("hex")}`;
  await withSession(url, (s) => s.execute(`CREATE DATABASE ${quoteIdent(name)}`), `Creating scratch database ${name}`);
  const scratch = withDatabase(url, name);
  return {
    url: scratch,
    drop: () =>
      withSession(url, (s) => s.execute(`DROP DATABASE IF EXISTS ${quoteIdent(name)}${s.serverVersionNum >= 130000 ? " WITH (FORCE)" : ""}`), `Dropping scratch database ${name}`),
  };
}

async function withSession(url: DatabaseUrl, run: (session: PgSession) => Promise<void>, what: string): Promise<void> {
  const session = await openSession(url);
  try {
    await run(session);
  } catch (error) {
    throw databaseError("RESTORE", `${what} on ${url.display} failed`, error);
  } finally {
    await session.close();
  }
}

/** The same server and credentials, another database. */
function withDatabase(url: DatabaseUrl, database: string): DatabaseUrl {
  const connection = new URL(url.connection);
  connection.pathname = `/${encodeURIComponent(database)}`;
  const display = new URL(connection.href);
  if (display.password !== "") display.password = "*****";
  return { engine: "postgres", connection: connection.href, display: display.href, databaseName: database };
}
