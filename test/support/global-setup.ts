import type { TestProject } from "vitest/node";
import { ADMIN_URL_ENV, startTestPostgres } from "./postgres-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of the test PostgreSQL server (see test/support/postgres-server.ts). */
    pgAdminUrl: string;
  }
}

/**
 * vitest globalSetup: one PostgreSQL server for the whole run. Tests read its URL with
 * `inject("pgAdminUrl")` (or `process.env.GEN_DUMP_PG_ADMIN_URL`) and make their own
 * database with `createTestDatabase`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startTestPostgres();
  project.provide("pgAdminUrl", server.adminUrl);
  process.env[ADMIN_URL_ENV] = server.adminUrl;
  return async () => {
    await server.stop();
  };
}
