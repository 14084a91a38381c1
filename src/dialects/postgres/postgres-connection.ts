import type { Writable } from "node:stream";
import type { Client, QueryResultRow } from "pg";
import { GenDumpError } from "../../errors.ts";
import type { DatabaseUrl } from "../dialect.ts";
import { CopyOutQuery } from "./postgres-copy-out.ts";
import { sessionSettingsSql } from "./postgres-sql.ts";

/**
 * One open PostgreSQL session with the dialect's fixed session settings: the few things
 * the introspector, reader and writer need from the driver.
 */
export interface PgSession {
  readonly url: DatabaseUrl;
  /** `server_version_num`, e.g. 170002. */
  readonly serverVersionNum: number;
  /** `server_version`, e.g. "17.2". */
  readonly serverVersion: string;
  /** `server_encoding`: the database's encoding, e.g. "UTF8" or "SQL_ASCII". */
  readonly serverEncoding: string;
  /** Run a catalog query with the driver's default value parsing. */
  query<R extends QueryResultRow>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Run statements without results (simple protocol: several statements allowed). */
  execute(sql: string): Promise<void>;
  /**
   * `COPY ... TO STDOUT`: COPY's text as runs of whole lines, read off the socket only as
   * fast as they are consumed (`CopyOutQuery`); each run is valid until the next.
   */
  copyOut(sql: string): AsyncGenerator<[Buffer, number, number]>;
  /** `COPY ... FROM STDIN`: write COPY bytes, end, and wait for `finish`/`error`. */
  copyIn(sql: string): Writable;
  close(): Promise<void>;
}

type PgModule = typeof import("pg");
type CopyModule = typeof import("pg-copy-streams");

let drivers: Promise<{ pg: PgModule; copy: CopyModule }> | undefined;

/** Load `pg` and `pg-copy-streams` once, on first use (SQLite users never load them). */
function loadDrivers(): Promise<{ pg: PgModule; copy: CopyModule }> {
  drivers ??= Promise.all([import("pg"), import("pg-copy-streams")]).then(([pg, copy]) => ({
    pg: (pg as unknown as { default?: PgModule }).default ?? pg,
    copy: (copy as unknown as { default?: CopyModule }).default ?? copy,
  }));
  return drivers;
}

/** Connect timeout when the URL and PGCONNECT_TIMEOUT give none. */
const CONNECT_TIMEOUT_MS = 15_000;

/**
 * Open a session on `url` and apply the session settings. Every failure to reach or log
 * in to the server is a CONNECT error naming the masked URL and the server's message.
 */
export async function openSession(url: DatabaseUrl): Promise<PgSession> {
  const { pg, copy } = await loadDrivers();
  const timeout = process.env.PGCONNECT_TIMEOUT ? Number(process.env.PGCONNECT_TIMEOUT) * 1000 : CONNECT_TIMEOUT_MS;
  const client = new pg.Client({ connectionString: url.connection, connectionTimeoutMillis: timeout });
  // NOTE: an idle client whose server goes away emits 'error'; without a listener that
  // would crash the process instead of failing the next query.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw connectError(url, error);
  }
  try {
    await client.query(sessionSettingsSql());
    const result = await client.query<{ num: number; version: string; encoding: string }>(
      "SELECT current_setting('server_version_num')::int4 AS num, current_setting('server_version') AS version, current_setting('server_encoding') AS encoding",
    );
    const row = result.rows[0]!;
    return makeSession(url, client, copy, row);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw connectError(url, error);
  }
}

function makeSession(url: DatabaseUrl, client: Client, copy: CopyModule, server: { num: number; version: string; encoding: string }): PgSession {
  return {
    url,
    serverVersionNum: server.num,
    serverVersion: server.version,
    serverEncoding: server.encoding,
    async query<R extends QueryResultRow>(sql: string, params: readonly unknown[] = []) {
      return (await client.query<R>(sql, params as unknown[])).rows;
    },
    async execute(sql: string) {
      await client.query(sql);
    },
    copyOut: (sql) => client.query(new CopyOutQuery(sql)).runs(),
    copyIn: (sql) => client.query(copy.from(sql)),
    close: () => client.end(),
  };
}

function connectError(url: DatabaseUrl, error: unknown): GenDumpError {
  // NOTE: a host name with several addresses (localhost: ::1 and 127.0.0.1) fails with an
  // AggregateError whose own message is empty.
  const reasons = error instanceof AggregateError ? error.errors : [error];
  const reason = reasons
    .map((e) => (e instanceof Error ? e.message || String((e as { code?: string }).code ?? e.name) : String(e)))
    .join("; ");
  return new GenDumpError(
    "CONNECT",
    `Cannot connect to PostgreSQL at ${url.display}: ${reason}. Check the host, port, user, password and ` +
      "database name in --db (missing parts come from the PG* environment variables).",
    {},
    { cause: error },
  );
}
