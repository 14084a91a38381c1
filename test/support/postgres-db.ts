import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { ADMIN_URL_ENV } from "./postgres-server.ts";

/** A database made for one test file or test; `drop` removes it (connections are cut). */
export interface TestDatabase {
  /** postgres:// URL of the superuser, connected to this database. */
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** The admin URL published by the global setup. */
export function testAdminUrl(): string {
  let url: string | undefined;
  try {
    url = inject("pgAdminUrl");
  } catch {
    // Outside a vitest worker (a script): fall back to the environment.
  }
  url ??= process.env[ADMIN_URL_ENV];
  if (url === undefined || url === "") {
    throw new Error(`no test PostgreSQL server: run under vitest (globalSetup) or set ${ADMIN_URL_ENV}`);
  }
  return url;
}

/** Create a fresh, uniquely named database on the test server. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const adminUrl = testAdminUrl();
  const clean = prefix.toLowerCase().replace(/[^a-z0-9_]/g, "_").slice(0, 30);
  const name = `t_${clean}_${randomBytes(5).toString("hex")}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    name,
    drop: () => dropTestDatabase(adminUrl, name),
  };
}

async function dropTestDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, async (client) => {
    const { rows } = await client.query<{ v: number }>("SELECT current_setting('server_version_num')::int AS v");
    const force = (rows[0]?.v ?? 0) >= 130000 ? " WITH (FORCE)" : "";
    await client.query(`DROP DATABASE IF EXISTS "${name}"${force}`);
  });
}

async function withAdmin<T>(adminUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
