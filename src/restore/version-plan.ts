import { resolve } from "node:path";
import { configVersion, findConfig, migrationsPath } from "../config/index.ts";
import type { DumpManifest } from "../emitter/restore-module-emitter.ts";
import { GenDumpError } from "../errors.ts";
import { loadMigrations, resolveChain } from "../migrate/migration-chain.ts";
import { type MigrationPlan, planMigration } from "../migrate/migration-plan.ts";
import type { RecordedStep } from "../migrate/migration-steps.ts";
import type { DatabaseSchema } from "../model/schema-model.ts";
import type { RowTransform } from "./row-transforms.ts";

/** Where the versions of a restore come from. */
export interface VersionOptions {
  /** `--to-version`: the application version to upgrade the data to. */
  readonly toVersion?: string;
  /** `--migrations`: the application's migrations module (else the config's `migrations`). */
  readonly migrations?: string;
  /** Where to start looking upward for gen-dump.config.{ts,js,json} (default: the working directory). */
  readonly configDir?: string;
}

/** The versions a restore goes between, and the plan that gets the data there. */
export interface VersionedPlan extends MigrationPlan {
  /** The dump's application version ("" when it recorded none). */
  readonly from: string;
  /** The target application version, or null when neither --to-version nor a config names one. */
  readonly to: string | null;
}

/**
 * Decide the chain of a restore: the source version is the dump's `appVersion`, the
 * target version `--to-version` or the configuration's. When they differ the
 * migrations module is loaded and the chain resolved; every error is raised here,
 * before the target is opened.
 */
export async function planVersions(dump: DumpManifest, schema: DatabaseSchema, transforms: readonly RowTransform[], options: VersionOptions): Promise<VersionedPlan> {
  const from = dump.appVersion ?? "";
  const config = options.toVersion === undefined || options.migrations === undefined ? await findConfig(options.configDir ?? process.cwd()) : null;
  const to = options.toVersion ?? (config !== null ? await configVersion(config) : null);
  let chain: RecordedStep[] = [];
  if (to !== null && to !== from) {
    if (from === "") {
      throw new GenDumpError(
        "TRANSFORM",
        `The dump records no application version, so gen-dump cannot tell which steps bring its data to version ${JSON.stringify(to)}. ` +
          'Write the version the data was taken at into `appVersion` in the dump\'s restore.ts (e.g. appVersion: "1"), or dump again with --app-version; --to-version "" restores the data as it is.',
      );
    }
    const path = options.migrations !== undefined ? resolve(options.migrations) : config !== null ? migrationsPath(config) : null;
    if (path === null) {
      throw new GenDumpError(
        "TRANSFORM",
        `The dump is at application version ${JSON.stringify(from)} and the target at ${JSON.stringify(to)}, but no migrations module is named: pass --migrations PATH or set \`migrations\` in gen-dump.config (or pass --to-version ${JSON.stringify(from)} to restore the data as it is).`,
      );
    }
    chain = resolveChain(await loadMigrations(path), from, to, path);
  }
  return { ...planMigration(schema, chain, transforms), from, to };
}
