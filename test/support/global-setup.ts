import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
 * database with `createTestDatabase`. Temporary files live in one directory for the run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // NOTE: every temporary file of the run (tests, the CLIs they start, the server's data
  // directory) goes below one directory, removed at the end: os.tmpdir() reads TMPDIR, and
  // the workers and child processes inherit it. Others may traverse it: as root, the
  // server runs as the postgres user and must reach its data directory.
  const runDir = mkdtempSync(join(tmpdir(), "gen-dump-test-run-"));
  chmodSync(runDir, 0o755);
  process.env.TMPDIR = runDir;
  const server = await startTestPostgres();
  project.provide("pgAdminUrl", server.adminUrl);
  process.env[ADMIN_URL_ENV] = server.adminUrl;
  return async () => {
    await server.stop();
    rmSync(runDir, { recursive: true, force: true });
  };
}
