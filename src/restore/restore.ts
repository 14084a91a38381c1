import { GenDumpError } from "../errors.ts";
import type { TargetConnection } from "../dialects/dialect.ts";
import { loadDialect, parseDatabaseUrl } from "../dialects/registry.ts";
import type { DumpManifest } from "../emitter/restore-module-emitter.ts";
import { stepError } from "../migrate/migration-steps.ts";
import type { DatabaseSchema, TableSchema } from "../model/schema-model.ts";
import { DUMP_FORMAT_VERSION } from "../version.ts";
import { checkDataOnly, introspectTarget } from "./data-only-check.ts";
import type { RowTransform } from "./row-transforms.ts";
import { type LoadedRows, loadRows } from "./table-loader.ts";
import { type VersionOptions, type VersionedPlan, planVersions } from "./version-plan.ts";

/** Options of `restoreDump()`; restore.ts's flags map onto these. */
export interface RestoreOptions extends VersionOptions {
  /** The dump directory (where restore.ts is). */
  readonly dumpDir: string;
  readonly dump: DumpManifest;
  readonly schema: DatabaseSchema;
  /** restore.ts's one-off transforms: the last step of every chain. */
  readonly transforms?: readonly RowTransform[];
  /** Target database; default `DATABASE_URL`. */
  readonly db?: string;
  /** Replace existing data without asking. */
  readonly noinput?: boolean;
  /** Run everything in the transaction, then roll back. */
  readonly simulate?: boolean;
  /** Skip tables whose rows fail to load (each in its own savepoint); report them. */
  readonly tolerate?: boolean;
  /** The target already has the (new) schema: empty its tables and load them, after a pre-flight check. */
  readonly dataOnly?: boolean;
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
  /** The dump's application version and the target's (null: no version given, no migration). */
  readonly fromVersion: string;
  readonly toVersion: string | null;
  /** Per step of the chain (restore.ts's transforms last): rows per table in and out. */
  readonly steps: readonly { readonly step: string; readonly tables: readonly { readonly table: string; readonly in: number; readonly out: number }[] }[];
  /** What the migration's schema reshaping, and the target for another engine's dump, left out. */
  readonly warnings: readonly string[];
}

/**
 * Restore a dump into a database, in one transaction. When the target application
 * version differs from the dump's, the chain of migration steps is applied to the
 * schema and the rows on the way in; every error rolls the whole restore back.
 */
export async function restoreDump(options: RestoreOptions): Promise<RestoreReport> {
  checkFormat(options.dump);
  const plan = await planVersions(options.dump, options.schema, options.transforms ?? [], options);
  const url = parseDatabaseUrl(options.db);
  const dialect = await loadDialect(url.engine);
  const destinations = options.dataOnly ? checkDataOnly(plan.schema, await introspectTarget(dialect, url), url.display) : null;
  const target = await dialect.openTarget({ url });
  try {
    const state = await target.inspect();
    const filled = destinations === null ? state.tables : state.tables.filter((t) => t.rows > 0);
    if (filled.length > 0 || (!state.empty && destinations === null)) await confirmReplace(options, url.display, filled.map((t) => (t.schema ? `${t.schema}.${t.name}` : t.name)));
    await target.begin();
    try {
      const loaded = await migrate(target, options, plan, destinations, !state.empty);
      if (options.simulate) await target.rollback();
      else await target.commit();
      return report(url.display, options, plan, loaded, !state.empty, target.warnings);
    } catch (error) {
      await target.rollback().catch(() => undefined);
      throw error;
    }
  } finally {
    await target.close();
  }
}

async function confirmReplace(options: RestoreOptions, display: string, names: readonly string[]): Promise<void> {
  if (options.noinput) return;
  const what = options.dataOnly ? "Empty its tables and load this dump into them?" : "Replace everything in it with this dump?";
  const question = `The target ${display} is not empty (${names.length} tables: ${names.slice(0, 5).join(", ")}${names.length > 5 ? ", ..." : ""}). ${what}`;
  if (!(await options.confirm?.(question))) {
    throw new GenDumpError("ABORTED", `Nothing was changed in ${display}: replacing its existing data was not confirmed. Pass --noinput to replace it without asking.`);
  }
}

/** Inside the transaction: schema (or emptying), hooks, rows, after-data objects, hooks. */
async function migrate(
  target: TargetConnection,
  options: RestoreOptions,
  plan: VersionedPlan,
  destinations: ReadonlyMap<string, TableSchema> | null,
  existing: boolean,
): Promise<LoadedRows> {
  if (destinations !== null) {
    await target.truncate?.([...new Set(destinations.values())]);
  } else {
    if (existing) await target.clear(plan.schema);
    await target.createBeforeData(plan.schema);
  }
  await runHooks(target, plan, "beforeLoad");
  const loaded = await loadRows({
    target,
    dumpDir: options.dumpDir,
    dump: options.dump,
    source: options.schema,
    plan,
    destination: (table) => destinations?.get(table.key) ?? table,
    tolerate: options.tolerate ?? false,
    onProgress: options.onProgress,
  });
  if (destinations === null) await target.createAfterData(plan.schema);
  else await target.syncSequences?.([...new Set(destinations.values())]);
  await runHooks(target, plan, "afterLoad");
  return loaded;
}

async function runHooks(target: TargetConnection, plan: VersionedPlan, phase: "beforeLoad" | "afterLoad"): Promise<void> {
  const db = {
    engine: target.engine,
    execute: (sql: string, params?: readonly unknown[]) => target.execute(sql, params),
    query: (sql: string, params?: readonly unknown[]) => target.query(sql, params),
  };
  for (const hooks of plan.hooks) {
    for (const hook of hooks[phase]) {
      try {
        await hook(db);
      } catch (error) {
        throw stepError(hooks.step, `in its ${phase} hook`, error);
      }
    }
  }
}

function report(display: string, options: RestoreOptions, plan: VersionedPlan, loaded: LoadedRows, replaced: boolean, targetWarnings: readonly string[]): RestoreReport {
  return {
    target: display,
    simulated: options.simulate ?? false,
    replacedExisting: replaced,
    tables: loaded.tables,
    failedTables: loaded.failedTables,
    fromVersion: plan.from,
    toVersion: plan.to,
    steps: plan.pipeline.counts.map((c) => ({ step: c.step, tables: [...c.tables].map(([table, n]) => ({ table, in: n.in, out: n.out })) })),
    warnings: [...plan.warnings, ...targetWarnings],
  };
}

function checkFormat(dump: DumpManifest): void {
  if (typeof dump?.formatVersion !== "number" || !Array.isArray(dump.modules)) {
    throw new GenDumpError("DUMP_FORMAT", "restore.ts does not hold a gen-dump manifest (the `dump` constant was changed or removed).");
  }
  if (dump.formatVersion > DUMP_FORMAT_VERSION) {
    throw new GenDumpError("DUMP_FORMAT", `This dump has format version ${dump.formatVersion}, written by gen-dump ${dump.genDumpVersion}; the installed gen-dump reads up to version ${DUMP_FORMAT_VERSION}. Upgrade gen-dump.`);
  }
}
