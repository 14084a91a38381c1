import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { type LoadedConfig, configVersion, findConfig } from "../config/index.ts";
import type { DatabaseUrl, SourceConnection, TableSelection } from "../dialects/dialect.ts";
import { loadDialect, parseDatabaseUrl } from "../dialects/registry.ts";
import type { WrittenModule } from "../emitter/data-module-writer.ts";
import { type DumpManifest, emitRestoreModule } from "../emitter/restore-module-emitter.ts";
import { emitSchemaModule } from "../emitter/schema-module-emitter.ts";
import { readTemplate } from "../emitter/template-files.ts";
import { GenDumpError, databaseError } from "../errors.ts";
import { type DatabaseSchema, type TableSchema, displayName } from "../model/schema-model.ts";
import { loadOrder } from "../planner/load-order.ts";
import { DUMP_FORMAT_VERSION, GEN_DUMP_VERSION } from "../version.ts";
import { OutputDir } from "./output-dir.ts";
import { type TableOutcome, dumpInParallel } from "./parallel-dump.ts";
import { DumpWorkerPool } from "./table-dump-pool.ts";
import type { WorkerSetup } from "./table-dump-messages.ts";
import { type DumpProgress, dumpTableRows } from "./table-dumper.ts";

/** Options of `dump()`; the CLI flags map onto these one to one. */
export interface DumpOptions {
  /** SQLite path or URL, or postgres:// URL; default `DATABASE_URL`, else the config's `db`. */
  readonly db?: string;
  /** Where to start looking upward for gen-dump.config.{ts,js,json} (default: the working directory). */
  readonly configDir?: string;
  readonly outputDir: string;
  /** Rows per data module before a table is split (default 50000). */
  readonly maxRowCount?: number;
  /**
   * Application version recorded in restore.ts. When omitted: the config's `version` or
   * `versionFrom`, else detected from the database's migrations record, else "".
   */
  readonly appVersion?: string;
  /** Replace a non-empty OUTPUT_DIR (stale files are removed). */
  readonly overwrite?: boolean;
  /** Read everything, write nothing; report what would be written. */
  readonly simulate?: boolean;
  /** Dump the tables that can be read; report the others (the result is marked incomplete). */
  readonly tolerate?: boolean;
  readonly selection?: TableSelection;
  /**
   * Tables, and key ranges of big tables, read in parallel by this many worker threads,
   * each on its own connection to the same snapshot (default 1). The files are the same
   * bytes whatever the number.
   */
  readonly jobs?: number;
  readonly onProgress?: (event: DumpProgress) => void;
}

export type { DumpProgress } from "./table-dumper.ts";

/** What a dump did (or, with simulate, would do). */
export interface DumpReport {
  readonly outputDir: string;
  readonly simulated: boolean;
  readonly tables: readonly { readonly table: string; readonly rows: number; readonly files: readonly string[] }[];
  readonly failedTables: readonly { readonly table: string; readonly message: string }[];
  /** With simulate: whether schema.ts would differ from the one in OUTPUT_DIR (null: none there). */
  readonly schemaChanged: boolean | null;
  /**
   * Connections that read rows: 1, or with `jobs` the worker threads that read at least
   * one table or key range of a big table (fewer than asked when there are fewer of
   * those; 1 when the source cannot share its snapshot, as SQLite in WAL mode).
   */
  readonly readers: number;
}

export const DEFAULT_MAX_ROW_COUNT = 50_000;

/** Dump a database into OUTPUT_DIR as an executable TypeScript dump. */
export async function dump(options: DumpOptions): Promise<DumpReport> {
  const maxRowCount = options.maxRowCount ?? DEFAULT_MAX_ROW_COUNT;
  if (!Number.isSafeInteger(maxRowCount) || maxRowCount < 1) {
    throw new GenDumpError("USAGE", `--max-row-count must be a positive whole number, not ${JSON.stringify(String(options.maxRowCount))}.`);
  }
  if (options.jobs !== undefined && (!Number.isSafeInteger(options.jobs) || options.jobs < 1)) {
    throw new GenDumpError("USAGE", `--jobs must be a positive whole number, not ${JSON.stringify(String(options.jobs))}.`);
  }
  const config = await findConfig(options.configDir);
  const url = sourceUrl(options.db, config);
  const configuredVersion = options.appVersion === undefined && config !== null ? await configVersion(config) : null;
  const out = await OutputDir.prepare(options.outputDir, { overwrite: options.overwrite ?? false, simulate: options.simulate ?? false });
  const dialect = await loadDialect(url.engine);
  const source = await dialect.openSource({ url, selection: options.selection });
  let workers: ParallelReaders | null = null;
  try {
    workers = await startParallelReaders({ ...options, maxRowCount }, source, out, url);
    const schema = await source.introspect();
    const appVersion = options.appVersion ?? configuredVersion ?? (await source.detectAppVersion?.()) ?? "";
    if (!options.simulate) await out.create();
    try {
      const report = await writeDump({ ...options, maxRowCount }, source, schema, out, appVersion, workers);
      if (!options.simulate) await out.commit();
      return report;
    } finally {
      if (!options.simulate) await out.discard();
    }
  } finally {
    await workers?.pool.close();
    await source.close();
  }
}

/** `--db`, else `DATABASE_URL`, else the config's `db` (a relative SQLite path is relative to the config file). */
function sourceUrl(db: string | undefined, config: LoadedConfig | null): DatabaseUrl {
  if (db !== undefined || (process.env.DATABASE_URL ?? "") !== "" || config?.config.db === undefined) return parseDatabaseUrl(db);
  return parseDatabaseUrl(config.config.db, process.env, config.dir);
}

interface Written {
  readonly table: TableSchema;
  readonly modules: readonly WrittenModule[];
}

async function writeDump(
  options: DumpOptions & { readonly maxRowCount: number },
  source: SourceConnection,
  schema: DatabaseSchema,
  out: OutputDir,
  appVersion: string,
  workers: ParallelReaders | null,
): Promise<DumpReport> {
  const written: Written[] = [];
  const failed: { table: string; message: string }[] = [];
  const { outcomes, readers } = await readTables(options, source, schema.tables, out, workers);
  schema.tables.forEach((table, i) => {
    const outcome = outcomes[i]!;
    if ("modules" in outcome) return void written.push({ table, modules: outcome.modules });
    const wrapped = databaseError("READ", `Reading table ${displayName(table)} failed`, outcome.error, { table: displayName(table) });
    if (!options.tolerate) throw wrapped;
    failed.push({ table: displayName(table), message: wrapped.message });
  });
  const rowsByKey = new Map(written.map((w) => [w.table.key, w.modules.reduce((n, m) => n + m.rows, 0)]));
  const finalSchema: DatabaseSchema = {
    ...schema,
    tables: schema.tables.map((t) => ({ ...t, rowCount: rowsByKey.get(t.key) ?? 0 })),
  };
  const modulesByKey = new Map(written.map((w) => [w.table.key, w.modules]));
  const manifest: DumpManifest = {
    genDumpVersion: GEN_DUMP_VERSION,
    formatVersion: DUMP_FORMAT_VERSION,
    source: { engine: source.info.engine, database: source.info.databaseName, serverVersion: source.info.serverVersion },
    appVersion,
    failedTables: failed.map((f) => f.table),
    modules: loadOrder(finalSchema.tables).flatMap((t) =>
      (modulesByKey.get(t.key) ?? []).map((m) => ({ file: m.file, table: t.key, rows: m.rows })),
    ),
  };
  const report: DumpReport = {
    outputDir: out.final,
    simulated: options.simulate ?? false,
    tables: written.map((w) => ({ table: displayName(w.table), rows: rowsByKey.get(w.table.key)!, files: w.modules.map((m) => m.file) })),
    failedTables: failed,
    schemaChanged: options.simulate ? await schemaDiffers(out.final, finalSchema) : null,
    readers,
  };
  if (options.simulate) return report;
  const small: [string, string][] = [
    ["schema.ts", emitSchemaModule(finalSchema)],
    ["restore.ts", emitRestoreModule(manifest)],
    ["dump-helpers.ts", readTemplate("dump-helpers.ts")],
    ["tsconfig.json", readTemplate("tsconfig.dump.json")],
    // NOTE: without `"type": "module"` next to it, tsx compiles restore.ts as CommonJS
    // (the nearest package.json decides), and its top-level await fails.
    ["package.json", readTemplate("package.dump.json")],
  ];
  for (const [name, text] of small) await out.writeText(name, text);
  const sums = [
    ...small.map(([name, text]) => [name, sha256(text)] as const),
    ...written.flatMap((w) => w.modules.map((m) => [m.file, m.sha256] as const)),
  ].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  await out.writeText("checksums.sha256", sums.map(([name, sum]) => `${sum}  ${name}\n`).join(""));
  return report;
}

/** The `--jobs` workers of a dump, and what they were told. */
interface ParallelReaders {
  readonly pool: DumpWorkerPool;
  readonly setup: WorkerSetup;
}

/**
 * With `--jobs` N > 1 and a source that can share its snapshot, N worker threads started
 * on it now, before the main thread introspects, so that their start-up overlaps with the
 * introspection; null otherwise (as SQLite in WAL mode: everything is read through
 * `source`).
 */
async function startParallelReaders(
  options: DumpOptions & { readonly maxRowCount: number },
  source: SourceConnection,
  out: OutputDir,
  url: DatabaseUrl,
): Promise<ParallelReaders | null> {
  const jobs = options.jobs ?? 1;
  const snapshot = jobs > 1 ? await source.shareSnapshot?.() : null;
  if (!snapshot) return null;
  const setup: WorkerSetup = { url, selection: options.selection, snapshot, dir: out.temp, maxRowCount: options.maxRowCount, simulate: options.simulate ?? false };
  return { pool: DumpWorkerPool.start(jobs, setup), setup };
}

/**
 * Every table's rows into its modules: through `source` one table after another, or by
 * the `--jobs` workers on the snapshot `source` shares, big tables in key ranges (when
 * there are workers and more than one task; otherwise through `source` alone). Outcomes
 * are in the order of `tables`. Without --tolerate the first failure is thrown at once.
 */
async function readTables(
  options: DumpOptions & { readonly maxRowCount: number },
  source: SourceConnection,
  tables: readonly TableSchema[],
  out: OutputDir,
  workers: ParallelReaders | null,
): Promise<{ outcomes: TableOutcome[]; readers: number }> {
  const simulate = options.simulate ?? false;
  if (workers !== null && tables.length > 0) {
    const parallel = await dumpInParallel(source, tables, {
      jobs: options.jobs ?? 1,
      setup: workers.setup,
      workers: workers.pool,
      onProgress: options.onProgress,
      stopOnError: !options.tolerate,
    });
    if (parallel !== null) return parallel;
  }
  // NOTE: nothing to share out (one table, or none): the workers are not needed.
  await workers?.pool.close();
  const outcomes: TableOutcome[] = [];
  for (const table of tables) {
    try {
      outcomes.push({ modules: await dumpTableRows({ source, table, dir: out.temp, maxRowCount: options.maxRowCount, simulate, onProgress: options.onProgress }) });
    } catch (error) {
      if (!options.tolerate) throw databaseError("READ", `Reading table ${displayName(table)} failed`, error, { table: displayName(table) });
      outcomes.push({ error: error instanceof Error ? error : new Error(String(error)) });
    }
  }
  return { outcomes, readers: 1 };
}

/** Whether the structure (row counts aside) differs from the dump already in `dir`. */
async function schemaDiffers(dir: string, schema: DatabaseSchema): Promise<boolean | null> {
  const path = join(dir, "schema.ts");
  if (!existsSync(path)) return null;
  const existing = ((await import(pathToFileURL(path).href)) as { schema: DatabaseSchema }).schema;
  return JSON.stringify(structureOf(existing)) !== JSON.stringify(structureOf(schema));
}

function structureOf(schema: DatabaseSchema): unknown {
  return { ...schema, tables: schema.tables.map((t) => ({ ...t, rowCount: 0 })) };
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
