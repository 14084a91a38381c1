/**
 * gen-dump's programmatic API; the CLI is a thin layer over it.
 *
 *   import { dump, restoreDirectory } from "gen-dump";
 *   await dump({ db: "app.sqlite3", outputDir: "dumps/a" });
 *   await restoreDirectory("dumps/a", { db: "restored.sqlite3", noinput: true });
 */
export { dump, type DumpOptions, type DumpReport, type DumpProgress, DEFAULT_MAX_ROW_COUNT } from "./dump/dump.ts";
export { restoreDump, restoreDirectory, readDumpDirectory, type RestoreOptions, type RestoreReport } from "./restore/index.ts";
export { checkDump, type CheckOptions, type CheckReport, type CheckProblem } from "./check/index.ts";
export { diffDumps, doubleDumpTest, type DiffOptions, type DumpDiff, type DoubleDumpOptions, type DoubleDumpReport } from "./diff/index.ts";
export { defineConfig, type GenDumpConfig } from "./config/index.ts";
export { GenDumpError, type ErrorCode, type ErrorContext } from "./errors.ts";
export type { DatabaseSchema, TableSchema, ColumnSchema } from "./model/schema-model.ts";
export type { DumpValue, DumpRow, ValueKind } from "./model/values.ts";
export { RawText } from "./model/values.ts";
export { GEN_DUMP_VERSION, DUMP_FORMAT_VERSION } from "./version.ts";
