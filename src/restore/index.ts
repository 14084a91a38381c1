/**
 * The restore runtime, imported by every dump's restore.ts (as `gen-dump/restore`).
 */
export { restoreCli, type RestoreEntry } from "./restore-cli.ts";
export { restoreDump, type RestoreOptions, type RestoreReport, type RestoreProgress } from "./restore.ts";
export { restoreDirectory, readDumpDirectory } from "./dump-directory.ts";
export type { RowTransform } from "./row-transforms.ts";
