import { GenDumpError, databaseError } from "../errors.ts";
import type { TargetConnection } from "../dialects/dialect.ts";
import { loadDialect, parseDatabaseUrl } from "../dialects/registry.ts";
import type { DumpManifest } from "../emitter/restore-module-emitter.ts";
import { type DatabaseSchema, type TableSchema, displayName } from "../model/schema-model.ts";
import type { DumpRow } from "../model/values.ts";
import { DUMP_FORMAT_VERSION } from "../version.ts";
import { loadDataModule } from "./module-loader.ts";
import { type RowTransform, applyTransforms } from "./row-transforms.ts";

/** Options of `restoreDump()`; restore.ts's flags map onto these. */
export interface RestoreOptions {
  /** The dump directory (where restore.ts is). */
  readonly dumpDir: string;
  readonly dump: DumpManifest;
  readonly schema: DatabaseSchema;
  readonly transforms?: readonly RowTransform[];
  /** Target database; default `DATABASE_URL`. */
  readonly db?: string;
  /** Replace existing data without asking. */
  readonly noinput?: boolean;
  /** Run everything in the transaction, then roll back. */
  readonly simulate?: boolean;
  /** Skip tables whose rows fail to load (each in its own savepoint); report them. */
  readonly tolerate?: boolean;
  /** Asked before existing data is replaced; a missing `confirm` means no. */
  readonly confirm?: (question: string) => Promise<boolean>;
  readonly onProgress?: (event: RestoreProgress) => void;
}

export type RestoreProgress =
  | { readonly type: "table-start"; readonly table: string; readonly total: number }
  | { readonly type: "rows"; readonly table: string; readonly rows: number }
  | { readonly type: "table-done"; readonly table: string; readonly rows: number };

export interface RestoreReport {
  readonly target: string;
  readonly simulated: boolean;
  readonly replacedExisting: boolean;
  readonly tables: readonly { readonly table: string; readonly rows: number }[];
  readonly failedTables: readonly { readonly table: string; readonly message: string }[];
}

/** Rows handed to the target per insert call (a COPY batch for PostgreSQL). */
const INSERT_BATCH = 10_000;

/** Restore a dump into a database, in one transaction. */
export async function restoreDump(options: RestoreOptions): Promise<RestoreReport> {
  checkFormat(options.dump);
  const url = parseDatabaseUrl(options.db);
  const dialect = await loadDialect(url.engine);
  const target = await dialect.openTarget({ url });
  try {
    const state = await target.inspect();
    if (!state.empty && !options.noinput) {
      const names = state.tables.map((t) => (t.schema ? `${t.schema}.${t.name}` : t.name));
      const question =
        `The target ${url.display} is not empty (${names.length} tables: ${names.slice(0, 5).join(", ")}${names.length > 5 ? ", ..." : ""}). ` +
        "Replace everything in it with this dump?";
      if (!(await options.confirm?.(question))) {
        throw new GenDumpError("ABORTED", `Nothing was changed in ${url.display}: replacing its existing data was not confirmed. Pass --noinput to replace it without asking.`);
      }
    }
    await target.begin();
    try {
      if (!state.empty) await target.clear(options.schema);
      const report = await load(target, options, url.display, !state.empty);
      if (options.simulate) await target.rollback();
      else await target.commit();
      return report;
    } catch (error) {
      await target.rollback().catch(() => undefined);
      throw error;
    }
  } finally {
    await target.close();
  }
}

function checkFormat(dump: DumpManifest): void {
  if (typeof dump?.formatVersion !== "number" || !Array.isArray(dump.modules)) {
    throw new GenDumpError("DUMP_FORMAT", "restore.ts does not hold a gen-dump manifest (the `dump` constant was changed or removed).");
  }
  if (dump.formatVersion > DUMP_FORMAT_VERSION) {
    throw new GenDumpError("DUMP_FORMAT", `This dump has format version ${dump.formatVersion}, written by gen-dump ${dump.genDumpVersion}; the installed gen-dump reads up to version ${DUMP_FORMAT_VERSION}. Upgrade gen-dump.`);
  }
}

async function load(target: TargetConnection, options: RestoreOptions, display: string, replaced: boolean): Promise<RestoreReport> {
  const { schema, dump } = options;
  await target.createBeforeData(schema);
  const byKey = new Map(schema.tables.map((t) => [t.key, t]));
  const tables: { table: string; rows: number }[] = [];
  const failed: { table: string; message: string }[] = [];
  const keys = [...new Set(dump.modules.map((m) => m.table))];
  for (const key of keys) {
    const table = byKey.get(key);
    if (table === undefined) {
      throw new GenDumpError("DUMP_FORMAT", `restore.ts lists table ${JSON.stringify(key)}, which schema.ts does not describe.`, { table: key });
    }
    const files = dump.modules.filter((m) => m.table === key);
    const total = files.reduce((n, m) => n + m.rows, 0);
    options.onProgress?.({ type: "table-start", table: displayName(table), total });
    const savepoint = `gen_dump_table_${tables.length + failed.length}`;
    if (options.tolerate) await target.savepoint(savepoint);
    try {
      const rows = await loadTable(target, options, table, files.map((f) => f.file));
      if (options.tolerate) await target.releaseSavepoint(savepoint);
      tables.push({ table: displayName(table), rows });
      options.onProgress?.({ type: "table-done", table: displayName(table), rows });
    } catch (error) {
      if (!options.tolerate || !(error instanceof GenDumpError)) throw error;
      await target.rollbackToSavepoint(savepoint);
      failed.push({ table: displayName(table), message: error.message });
    }
  }
  await target.createAfterData(schema);
  return { target: display, simulated: options.simulate ?? false, replacedExisting: replaced, tables, failedTables: failed };
}

async function loadTable(target: TargetConnection, options: RestoreOptions, table: TableSchema, files: readonly string[]): Promise<number> {
  let count = 0;
  for (const file of files) {
    let pending: DumpRow[] = [];
    let pendingLines: (number | null)[] = [];
    let columns: readonly string[] = [];
    const flush = async () => {
      if (pending.length === 0) return;
      try {
        await target.insertRows(table, columns, pending);
      } catch (error) {
        throw locate(error, file, table, pendingLines);
      }
      count += pending.length;
      options.onProgress?.({ type: "rows", table: displayName(table), rows: count });
      pending = [];
      pendingLines = [];
    };
    for await (const batch of loadDataModule(options.dumpDir, file, table)) {
      columns = batch.columns;
      const rows = applyTransforms(options.transforms ?? [], table, batch.columns, batch.rows);
      // Transformed rows no longer match the module's lines one to one.
      const lines = rows === batch.rows ? batch.lines : null;
      for (let i = 0; i < rows.length; i++) {
        pending.push(rows[i]!);
        pendingLines.push(lines === null ? null : lines[i]!);
      }
      if (pending.length >= INSERT_BATCH) await flush();
    }
    await flush();
  }
  return count;
}

/** Name the module file and line of the row the target rejected. */
function locate(error: unknown, file: string, table: TableSchema, lines: readonly (number | null)[]): GenDumpError {
  const wrapped = databaseError("RESTORE", `Loading table ${displayName(table)} failed`, error, { table: displayName(table) });
  const index = wrapped.context.row;
  const line = index === undefined ? undefined : (lines[index] ?? undefined);
  const at = line === undefined ? file : `${file}:${line}`;
  return new GenDumpError(wrapped.code, `${at}: ${wrapped.message}`, { ...wrapped.context, file, line }, { cause: error });
}
