/**
 * `npm run bench`: gen-dump against pg_dump/psql and the sqlite3 shell, side by side, at
 * two scales. Not a test: it prints a Markdown table of medians and writes it to
 * bench/results/. Programs compared run in alternating rounds; ratios are medians of per-round ratios. Flags: --scales A,B (default 1000000,4000000) or --scale/--rows N,
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
import { RSS_METHOD, type Sample, measure, median, medianOf, sizeOf } from "./bench-measure.ts";
import { type BenchPostgres, startBenchPostgres } from "./bench-postgres-server.ts";
import { type BenchRow, resultTable } from "./bench-report.ts";

const root = new URL("../", import.meta.url).pathname;
const genDumpBin = join(root, "bin", "gen-dump.js");
const tsxBin = join(root, "node_modules", ".bin", "tsx");
const floorsScript = join(root, "bench", "bench-floors.ts");
/** The tool name of the floor rows (bench-floors.ts). */
const FLOOR = "floor: driver only";

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

/** One program measured in a comparison. */
interface Contender {
  readonly tool: string;
  /** The row whose time this one's is set against (`ratio` of the report). */
  readonly comparedWith?: string;
  /** Which way the ratio goes: "ours" (the compared row's time / this one's) or "mine" (this one's / the compared row's). */
  readonly ratio?: "ours" | "mine";
  readonly note?: string;
  /** Before each run: a fresh target. */
  readonly before?: () => Promise<void> | void;
  readonly run: () => Promise<Sample>;
  /** After the runs: the output's size (dump), or the input's (restore). */
  readonly bytes: () => number;
}

/**
 * Measure `contenders` in rounds, each program once per round, the order reversed every
 * other round (A B C, C B A, …), so that a machine speeding up or slowing down during the
 * bench moves every program alike. A ratio is the median of the ratios taken round by
 * round, not a ratio of medians measured minutes apart.
 */
async function compare(base: Pick<BenchRow, "scale" | "engine" | "operation" | "rows">, contenders: readonly Contender[], times = reps): Promise<void> {
  const samples = contenders.map(() => [] as Sample[]);
  for (let round = 0; round < times; round++) {
    const order = contenders.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      await contenders[i]!.before?.();
      samples[i]!.push(await contenders[i]!.run());
    }
  }
  contenders.forEach((c, i) => {
    const other = c.comparedWith === undefined ? -1 : contenders.findIndex((o) => o.tool === c.comparedWith);
    const pairs = other < 0 ? [] : samples[i]!.map((s, r) => (c.ratio === "mine" ? s.seconds / samples[other]![r]!.seconds : samples[other]![r]!.seconds / s.seconds));
    add({ ...base, tool: c.tool, note: c.note, comparedWith: c.comparedWith, ratio: medianOf(pairs), ratioOf: c.comparedWith === undefined ? undefined : c.ratio ?? "ours", repetitions: times, bytes: c.bytes(), sample: median(samples[i]!) });
  });
}

function add(row: BenchRow): void {
  rows.push(row);
  log(`${row.engine} ${row.operation} ${row.tool}: ${row.sample.seconds.toFixed(2)} s, ${(row.sample.peakRss / 1048576).toFixed(0)} MB`);
}

const sqlite3 = spawnSync("sqlite3", ["-version"], { encoding: "utf8" }).status === 0 ? "sqlite3" : null;

async function benchSqlite(scale: number, shape: BenchShape): Promise<void> {
  const dir = join(work, `sqlite-${scale}`);
  mkdirSync(dir);
  const source = join(dir, "source.sqlite3");
  log(`building SQLite database (${totalRows(shape).toLocaleString("en-US")} rows)`);
  buildSqlite(source, shape);
  const base = { scale, engine: "sqlite" as const, rows: totalRows(shape) };
  const out = join(dir, "dump");
  const target = join(dir, "target.sqlite3");
  const sql = join(dir, "dump.sql");
  const clean = () => ["", "-wal", "-shm", "-journal"].forEach((s) => rmSync(target + s, { force: true }));
  const genDump = (extra: string[]) => () => measure(process.execPath, [genDumpBin, "--db", source, "--overwrite", "--noinput", "--quiet", ...extra, out]);
  const dumpSize = () => sizeOf(out);
  if (sqlite3 === null) skipped.push("sqlite3 .dump and its replay (no sqlite3 shell on PATH; `apt-get install sqlite3`)");
  const peer = sqlite3 === null ? "gen-dump" : "sqlite3 .dump";
  await compare({ ...base, operation: "dump" }, [
    { tool: "gen-dump", run: genDump([]), bytes: dumpSize },
    ...(jobs > 1 ? [{ tool: `gen-dump --jobs ${jobs}`, comparedWith: "gen-dump", run: genDump(["--jobs", String(jobs)]), bytes: dumpSize }] : []),
    ...(sqlite3 === null ? [] : [{ tool: "sqlite3 .dump", comparedWith: "gen-dump", run: () => measure(sqlite3, ["-readonly", source, `.output ${sql}`, ".dump"]), bytes: () => sizeOf(sql) }]),
    { tool: FLOOR, note: "better-sqlite3 reads every row, encodes nothing", comparedWith: peer, ratio: "mine", run: () => measure(tsxBin, [floorsScript, "sqlite", source]), bytes: () => 0 },
  ]);
  const restore = () => measure(tsxBin, [join(out, "restore.ts"), "--db", target, "--noinput", "--quiet"]);
  await compare({ ...base, operation: "restore" }, [
    { tool: "gen-dump", before: clean, run: restore, bytes: dumpSize },
    ...(sqlite3 === null ? [] : [{ tool: "sqlite3 < .dump", comparedWith: "gen-dump", before: clean, run: () => measure(sqlite3, [target, `.read ${sql}`]), bytes: () => sizeOf(sql) }]),
  ]);
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
  const base = { scale, engine: "postgres" as const, rows: totalRows(shape) };
  const out = join(dir, "dump");
  const plain = join(dir, "plain.sql");
  const inserts = join(dir, "inserts.sql");
  const probe = { server: server.cpuSeconds ?? undefined };
  const run = (command: string, args: readonly string[]) => () => measure(command, args, probe);
  const genDump = (extra: string[]) => run(process.execPath, [genDumpBin, "--db", source, "--overwrite", "--noinput", "--quiet", ...extra, out]);
  const dumpSize = () => sizeOf(out);
  const tools = server.clientBin;
  if (tools === null) skipped.push(`pg_dump, pg_dump --inserts and psql replays at ${scale.toLocaleString("en-US")} rows (no client tools of the server's major version)`);
  const pgDump = tools === null ? "" : join(tools, "pg_dump");
  const psql = tools === null ? "" : join(tools, "psql");
  await compare({ ...base, operation: "dump" }, [
    { tool: "gen-dump", run: genDump([]), bytes: dumpSize },
    ...(jobs > 1 ? [{ tool: `gen-dump --jobs ${jobs}`, comparedWith: "gen-dump", run: genDump(["--jobs", String(jobs)]), bytes: dumpSize }] : []),
    ...(tools === null
      ? []
      : [
          { tool: "pg_dump", comparedWith: "gen-dump", run: run(pgDump, ["-d", source, "-f", plain]), bytes: () => sizeOf(plain) },
          { tool: "pg_dump --inserts", comparedWith: "gen-dump", run: run(pgDump, ["--inserts", "-d", source, "-f", inserts]), bytes: () => sizeOf(inserts) },
        ]),
    { tool: FLOOR, note: "pg and gen-dump's COPY reader receive every table's COPY, encode nothing", comparedWith: tools === null ? "gen-dump" : "pg_dump", ratio: "mine", run: run(tsxBin, [floorsScript, "postgres", source]), bytes: () => 0 },
  ]);
  let target = "";
  const fresh = async () => void (target = await freshDatabase(server, "bench_target"));
  // NOTE: `target` is read when each run starts, after `fresh` made it.
  const restore = () => measure(tsxBin, [join(out, "restore.ts"), "--db", target, "--noinput", "--quiet"], probe);
  const replay = (file: string) => () => measure(psql, ["-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-d", target, "-f", file], probe);
  await compare({ ...base, operation: "restore" }, [
    { tool: "gen-dump", before: fresh, run: restore, bytes: dumpSize },
    ...(tools === null ? [] : [{ tool: "psql -1 < pg_dump", comparedWith: "gen-dump", before: fresh, run: replay(plain), bytes: () => sizeOf(plain) }]),
  ]);
  if (!insertsReplay || tools === null) return;
  // NOTE: one run (it is slow), set against the median of gen-dump's restores above.
  await fresh();
  const sample = await replay(inserts)();
  const ours = rows.find((r) => r.scale === scale && r.engine === "postgres" && r.operation === "restore" && r.tool === "gen-dump")!;
  add({ ...base, operation: "restore", tool: "psql -1 < pg_dump --inserts", comparedWith: "gen-dump", ratio: ours.sample.seconds / sample.seconds, ratioOf: "ours", repetitions: 1, bytes: sizeOf(inserts), sample });
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
    `Rows: \`orders\` has the scale's rows, \`customers\` a tenth; rows/s counts both. Medians of the runs in column reps (the --inserts replay: 1 run). Client CPU s: user + system time of the client process and its children. Server CPU s: the CPU time PostgreSQL's processes used during the run (read from /proc; blank for SQLite, which runs inside the client).`,
    "The programs of one comparison run in rounds, each once per round, in reverse order every other round; a time ratio is the median of the ratios taken round by round, so a machine that speeds up or slows down during the bench moves both sides alike.",
    "Restores run into an empty database/file; psql replays with -1 (one transaction), like restore.ts. gen-dump runs as a user runs it (bin/gen-dump.js, tsx DUMP/restore.ts), start-up included.",
    "Time ratios (column \"ratio is\"): on a peer's row gen-dump's time / the peer's (below 1: gen-dump is faster); on a `gen-dump --jobs N` row one job's time / N jobs' (the speed-up); on a floor row the floor's time / the peer's. A floor (bench/bench-floors.ts, run like gen-dump under tsx) takes every row out through the drivers gen-dump uses and encodes and writes nothing: no dump through those drivers can be faster. RSS ratios: gen-dump's / the peer's.",
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
