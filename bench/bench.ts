/**
 * `npm run bench`: gen-dump against pg_dump/psql and the sqlite3 shell, side by side, at
 * two scales. Not a test: it prints a Markdown table of medians and writes it to
 * bench/results/. Flags: --scales A,B (default 1000000,4000000) or --scale/--rows N,
 * --reps N or N,M per scale (default 3), --jobs N (also measure gen-dump --jobs N; default 2, 1 = off),
 * --skip-inserts-replay, --inserts-replay-rows N (default 1000000), --engines sqlite,postgres.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { type BenchShape, buildPostgres, buildSqlite, shapeOf, totalRows } from "./bench-data.ts";
import { RSS_METHOD, type Sample, measure, median, sizeOf } from "./bench-measure.ts";
import { type BenchPostgres, startBenchPostgres } from "./bench-postgres-server.ts";
import { type BenchRow, resultTable } from "./bench-report.ts";

const root = new URL("../", import.meta.url).pathname;
const genDumpBin = join(root, "bin", "gen-dump.js");
const tsxBin = join(root, "node_modules", ".bin", "tsx");

const { values } = parseArgs({
  options: {
    scales: { type: "string" },
    scale: { type: "string" },
    rows: { type: "string" },
    reps: { type: "string", default: "3" },
    jobs: { type: "string", default: "2" },
    "skip-inserts-replay": { type: "boolean", default: false },
    "inserts-replay-rows": { type: "string", default: "1000000" },
    engines: { type: "string", default: "sqlite,postgres" },
  },
});
const scales = (values.scales ?? values.scale ?? values.rows ?? "1000000,4000000").split(",").map((s) => Number(s.replaceAll("_", "")));
// --reps 3 or one count per scale (--reps 3,1): the large scale can run fewer times.
const repsList = values.reps.split(",").map(Number);
let reps = repsList[0]!;
const jobs = Number(values.jobs);
const engines = values.engines.split(",");
const skipped: string[] = [];
const notes: string[] = [];
const rows: BenchRow[] = [];
const work = mkdtempSync(join(tmpdir(), "gen-dump-bench-"));

function log(text: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}\n`);
}

async function repeat(times: number, before: () => Promise<void> | void, run: () => Promise<Sample>): Promise<Sample> {
  const samples: Sample[] = [];
  for (let i = 0; i < times; i++) {
    await before();
    samples.push(await run());
  }
  return median(samples);
}

function add(row: Omit<BenchRow, "repetitions"> & { repetitions?: number }): void {
  rows.push({ repetitions: reps, ...row });
  const r = rows[rows.length - 1]!;
  log(`${r.engine} ${r.operation} ${r.tool}: ${r.sample.seconds.toFixed(2)} s, ${(r.sample.peakRss / 1048576).toFixed(0)} MB`);
}

const sqlite3 = spawnSync("sqlite3", ["-version"], { encoding: "utf8" }).status === 0 ? "sqlite3" : null;

async function benchSqlite(scale: number, shape: BenchShape): Promise<void> {
  const dir = join(work, `sqlite-${scale}`);
  mkdirSync(dir);
  const source = join(dir, "source.sqlite3");
  log(`building SQLite database (${totalRows(shape).toLocaleString("en-US")} rows)`);
  buildSqlite(source, shape);
  const total = totalRows(shape);
  const base = { scale, engine: "sqlite" as const, rows: total };
  const out = join(dir, "dump");
  const target = join(dir, "target.sqlite3");
  const clean = (path: string) => () => ["", "-wal", "-shm", "-journal"].forEach((s) => rmSync(path + s, { force: true }));
  const genDump = (extra: string[]) => measure(process.execPath, [genDumpBin, "--db", source, "--overwrite", "--noinput", "--quiet", ...extra, out]);
  add({ ...base, operation: "dump", tool: "gen-dump", bytes: 0, sample: await repeat(reps, () => {}, () => genDump([])) });
  rows[rows.length - 1] = { ...rows[rows.length - 1]!, bytes: sizeOf(out) };
  if (jobs > 1) add({ ...base, operation: "dump", tool: `gen-dump --jobs ${jobs}`, comparedWith: "gen-dump", bytes: sizeOf(out), sample: await repeat(reps, () => {}, () => genDump(["--jobs", String(jobs)])) });
  const restore = (extra: string[]) => measure(tsxBin, [join(out, "restore.ts"), "--db", target, "--noinput", "--quiet", ...extra]);
  add({ ...base, operation: "restore", tool: "gen-dump", bytes: sizeOf(out), sample: await repeat(reps, clean(target), () => restore([])) });
  if (sqlite3 === null) {
    skipped.push("sqlite3 .dump and its replay (no sqlite3 shell on PATH; `apt-get install sqlite3`)");
    return;
  }
  const sql = join(dir, "dump.sql");
  add({ ...base, operation: "dump", tool: "sqlite3 .dump", comparedWith: "gen-dump", bytes: 0, sample: await repeat(reps, () => {}, () => measure(sqlite3, ["-readonly", source, `.output ${sql}`, ".dump"])) });
  rows[rows.length - 1] = { ...rows[rows.length - 1]!, bytes: sizeOf(sql) };
  add({ ...base, operation: "restore", tool: "sqlite3 < .dump", comparedWith: "gen-dump", bytes: sizeOf(sql), sample: await repeat(reps, clean(target), () => measure(sqlite3, [target, `.read ${sql}`])) });
}

async function adminQuery(server: BenchPostgres, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: server.adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function dbUrl(server: BenchPostgres, name: string): string {
  const url = new URL(server.adminUrl);
  url.pathname = `/${name}`;
  return url.href;
}

async function freshDatabase(server: BenchPostgres, name: string): Promise<string> {
  await adminQuery(server, `DROP DATABASE IF EXISTS ${name}`);
  await adminQuery(server, `CREATE DATABASE ${name}`);
  return dbUrl(server, name);
}

async function benchPostgres(server: BenchPostgres, scale: number, shape: BenchShape, insertsReplay: boolean): Promise<void> {
  const dir = join(work, `postgres-${scale}`);
  mkdirSync(dir);
  log(`building PostgreSQL database (${totalRows(shape).toLocaleString("en-US")} rows)`);
  const source = await freshDatabase(server, "bench_source");
  await buildPostgres(source, shape);
  const total = totalRows(shape);
  const base = { scale, engine: "postgres" as const, rows: total };
  const out = join(dir, "dump");
  const genDump = (extra: string[]) => measure(process.execPath, [genDumpBin, "--db", source, "--overwrite", "--noinput", "--quiet", ...extra, out]);
  add({ ...base, operation: "dump", tool: "gen-dump", bytes: 0, sample: await repeat(reps, () => {}, () => genDump([])) });
  rows[rows.length - 1] = { ...rows[rows.length - 1]!, bytes: sizeOf(out) };
  if (jobs > 1) add({ ...base, operation: "dump", tool: `gen-dump --jobs ${jobs}`, comparedWith: "gen-dump", bytes: sizeOf(out), sample: await repeat(reps, () => {}, () => genDump(["--jobs", String(jobs)])) });
  let target = "";
  const fresh = async () => void (target = await freshDatabase(server, "bench_target"));
  add({ ...base, operation: "restore", tool: "gen-dump", bytes: sizeOf(out), sample: await repeat(reps, fresh, () => measure(tsxBin, [join(out, "restore.ts"), "--db", target, "--noinput", "--quiet"])) });
  if (server.clientBin === null) {
    skipped.push(`pg_dump, pg_dump --inserts and psql replays at ${scale.toLocaleString("en-US")} rows (no client tools of the server's major version)`);
    return;
  }
  const pgDump = join(server.clientBin, "pg_dump");
  const psql = join(server.clientBin, "psql");
  const plain = join(dir, "plain.sql");
  const inserts = join(dir, "inserts.sql");
  add({ ...base, operation: "dump", tool: "pg_dump", comparedWith: "gen-dump", bytes: 0, sample: await repeat(reps, () => {}, () => measure(pgDump, ["-d", source, "-f", plain])) });
  rows[rows.length - 1] = { ...rows[rows.length - 1]!, bytes: sizeOf(plain) };
  add({ ...base, operation: "dump", tool: "pg_dump --inserts", comparedWith: "gen-dump", bytes: 0, sample: await repeat(reps, () => {}, () => measure(pgDump, ["--inserts", "-d", source, "-f", inserts])) });
  rows[rows.length - 1] = { ...rows[rows.length - 1]!, bytes: sizeOf(inserts) };
  const replay = (file: string) => () => measure(psql, ["-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-d", target, "-f", file]);
  add({ ...base, operation: "restore", tool: "psql -1 < pg_dump", comparedWith: "gen-dump", bytes: sizeOf(plain), sample: await repeat(reps, fresh, replay(plain)) });
  if (!insertsReplay) return;
  add({ ...base, operation: "restore", tool: "psql -1 < pg_dump --inserts", comparedWith: "gen-dump", bytes: sizeOf(inserts), repetitions: 1, sample: await repeat(1, fresh, replay(inserts)) });
}

async function main(): Promise<void> {
  const startedAt = new Date();
  let server: BenchPostgres | null = null;
  try {
    if (engines.includes("postgres")) {
      server = await startBenchPostgres();
      notes.push(`PostgreSQL: ${server.description}.`);
    }
    const insertsRows = Number(values["inserts-replay-rows"]);
    for (const [i, scale] of scales.entries()) {
      reps = repsList[Math.min(i, repsList.length - 1)]!;
      const shape = shapeOf(scale);
      if (engines.includes("sqlite")) await benchSqlite(scale, shape);
      if (server !== null) {
        const replayHere = !values["skip-inserts-replay"] && i === 0 && scale <= insertsRows;
        if (!values["skip-inserts-replay"] && !replayHere) skipped.push(`psql replaying pg_dump --inserts at ${scale.toLocaleString("en-US")} rows (only at the first scale up to --inserts-replay-rows ${insertsRows.toLocaleString("en-US")}: it is slow)`);
        await benchPostgres(server, scale, shape, replayHere);
      }
    }
  } finally {
    await server?.stop().catch((error) => log(`stopping PostgreSQL failed: ${String(error)}`));
    rmSync(work, { recursive: true, force: true });
  }
  if (values["skip-inserts-replay"]) skipped.push("psql replaying pg_dump --inserts (--skip-inserts-replay)");
  const table = resultTable(rows);
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, Node ${process.version}`;
  const sqliteVersion = sqlite3 ? execFileSync(sqlite3, ["-version"], { encoding: "utf8" }).split(" ")[0] : "absent";
  const text = [
    `# gen-dump bench, ${startedAt.toISOString()}`,
    "",
    `Machine: ${machine}. sqlite3 shell: ${sqliteVersion}. Peak RSS: ${RSS_METHOD} of the client process.`,
    ...notes,
    `Rows: \`orders\` has the scale's rows, \`customers\` a tenth; rows/s counts both. Medians of the runs in column reps (the --inserts replay: 1 run). Client CPU s: user + system time of the client process and its children (the server's work is not in it).`,
    "Restores run into an empty database/file; psql replays with -1 (one transaction), like restore.ts. gen-dump runs as a user runs it (bin/gen-dump.js, tsx DUMP/restore.ts), start-up included.",
    "Ratios are gen-dump's time (or RSS) divided by the peer's: below 1 means gen-dump is faster (or smaller). On a `gen-dump --jobs N` row the ratio is one job's time divided by N jobs' time: the speed-up.",
    "",
    table,
    skipped.length > 0 ? `Skipped:\n${skipped.map((s) => `- ${s}`).join("\n")}\n` : "Skipped: nothing.\n",
  ].join("\n");
  process.stdout.write(`\n${text}`);
  const resultsDir = join(root, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${startedAt.toISOString().slice(0, 19).replaceAll(":", "")}-${scales.join("_")}.md`);
  writeFileSync(file, text);
  process.stdout.write(`\nWritten to ${file}\n`);
}

await main();
