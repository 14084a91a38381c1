import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import type { SourceConnection, TableSelection } from "../dialects/dialect.ts";
import { loadDialect, parseDatabaseUrl } from "../dialects/registry.ts";
import { DataModuleWriter, type WrittenModule } from "../emitter/data-module-writer.ts";
import { type DumpManifest, emitRestoreModule } from "../emitter/restore-module-emitter.ts";
import { emitSchemaModule } from "../emitter/schema-module-emitter.ts";
import { readTemplate } from "../emitter/template-files.ts";
import { GenDumpError, databaseError } from "../errors.ts";
import { type DatabaseSchema, type TableSchema, dataColumns, displayName } from "../model/schema-model.ts";
import { dataFileName } from "../planner/file-names.ts";
import { loadOrder } from "../planner/load-order.ts";
import { DUMP_FORMAT_VERSION, GEN_DUMP_VERSION } from "../version.ts";
import { OutputDir } from "./output-dir.ts";

/** Options of `dump()`; the CLI flags map onto these one to one. */
export interface DumpOptions {
  /** SQLite path or URL, or postgres:// URL; default `DATABASE_URL`. */
  readonly db?: string;
  readonly outputDir: string;
  /** Rows per data module before a table is split (default 50000). */
  readonly maxRowCount?: number;
  /** Application version recorded in restore.ts; detected from the database when omitted. */
  readonly appVersion?: string;
  /** Replace a non-empty OUTPUT_DIR (stale files are removed). */
  readonly overwrite?: boolean;
  /** Read everything, write nothing; report what would be written. */
  readonly simulate?: boolean;
  /** Dump the tables that can be read; report the others (the result is marked incomplete). */
  readonly tolerate?: boolean;
  readonly selection?: TableSelection;
  readonly onProgress?: (event: DumpProgress) => void;
}

export type DumpProgress =
  | { readonly type: "table-start"; readonly table: string; readonly estimate: number }
  | { readonly type: "rows"; readonly table: string; readonly rows: number }
  | { readonly type: "table-done"; readonly table: string; readonly rows: number };

/** What a dump did (or, with simulate, would do). */
export interface DumpReport {
  readonly outputDir: string;
  readonly simulated: boolean;
  readonly tables: readonly { readonly table: string; readonly rows: number; readonly files: readonly string[] }[];
  readonly failedTables: readonly { readonly table: string; readonly message: string }[];
  /** With simulate: whether schema.ts would differ from the one in OUTPUT_DIR (null: none there). */
  readonly schemaChanged: boolean | null;
}

export const DEFAULT_MAX_ROW_COUNT = 50_000;

/** Dump a database into OUTPUT_DIR as an executable TypeScript dump. */
export async function dump(options: DumpOptions): Promise<DumpReport> {
  const maxRowCount = options.maxRowCount ?? DEFAULT_MAX_ROW_COUNT;
  if (!Number.isSafeInteger(maxRowCount) || maxRowCount < 1) {
    throw new GenDumpError("USAGE", `--max-row-count must be a positive whole number, not ${JSON.stringify(String(options.maxRowCount))}.`);
  }
  const url = parseDatabaseUrl(options.db);
  const out = await OutputDir.prepare(options.outputDir, { overwrite: options.overwrite ?? false, simulate: options.simulate ?? false });
  const dialect = await loadDialect(url.engine);
  const source = await dialect.openSource({ url, selection: options.selection });
  try {
    const schema = await source.introspect();
    const appVersion = options.appVersion ?? (await source.detectAppVersion?.()) ?? "";
    if (!options.simulate) await out.create();
    try {
      const report = await writeDump({ ...options, maxRowCount }, source, schema, out, appVersion);
      if (!options.simulate) await out.commit();
      return report;
    } finally {
      if (!options.simulate) await out.discard();
    }
  } finally {
    await source.close();
  }
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
): Promise<DumpReport> {
  const written: Written[] = [];
  const failed: { table: string; message: string }[] = [];
  for (const table of schema.tables) {
    try {
      written.push({ table, modules: await dumpTable(options, source, table, out) });
    } catch (error) {
      const wrapped = databaseError("READ", `Reading table ${displayName(table)} failed`, error, { table: displayName(table) });
      if (!options.tolerate) throw wrapped;
      failed.push({ table: displayName(table), message: wrapped.message });
    }
  }
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
  const schemaText = emitSchemaModule(finalSchema);
  const report: DumpReport = {
    outputDir: out.final,
    simulated: options.simulate ?? false,
    tables: written.map((w) => ({ table: displayName(w.table), rows: rowsByKey.get(w.table.key)!, files: w.modules.map((m) => m.file) })),
    failedTables: failed,
    schemaChanged: options.simulate ? await schemaDiffers(out.final, finalSchema) : null,
  };
  if (options.simulate) return report;
  const small: [string, string][] = [
    ["schema.ts", schemaText],
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

async function dumpTable(
  options: DumpOptions & { readonly maxRowCount: number },
  source: SourceConnection,
  table: TableSchema,
  out: OutputDir,
): Promise<WrittenModule[]> {
  const name = displayName(table);
  const columns = dataColumns(table);
  const kinds = columns.map((c) => table.columns.find((col) => col.name === c)?.kind ?? "integer");
  if (options.onProgress) options.onProgress({ type: "table-start", table: name, estimate: await source.estimateRows(table) });
  const writer = options.simulate ? null : new DataModuleWriter({ dir: out.temp, table, columns, kinds, maxRowCount: options.maxRowCount });
  let rows = 0;
  try {
    if (table.dataDumped) {
      for await (const batch of source.readRows(table)) {
        await writer?.add(batch);
        rows += batch.length;
        options.onProgress?.({ type: "rows", table: name, rows });
      }
    }
    const modules = writer ? await writer.finish() : simulatedModules(table, rows, options.maxRowCount);
    options.onProgress?.({ type: "table-done", table: name, rows });
    return modules;
  } catch (error) {
    await writer?.abort();
    throw error;
  }
}

function simulatedModules(table: TableSchema, rows: number, max: number): WrittenModule[] {
  const parts = Math.max(1, Math.ceil(rows / max));
  return Array.from({ length: parts }, (_, i) => ({
    file: dataFileName(table.key, i + 1, parts),
    rows: Math.min(max, rows - i * max),
    sha256: "",
  }));
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
