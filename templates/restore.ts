// restore.ts — the entrypoint of a gen-dump dump.
//   npx tsx restore.ts --db TARGET [--noinput] [--simulate] [--tolerate] [--quiet]
//                      [--to-version V] [--migrations PATH] [--data-only]
// Run it from a project that has gen-dump installed (npm install gen-dump).
import { isEntrypoint, restore, type RowTransform } from "./dump-helpers.ts";
import { schema } from "./schema.ts";

/** What this dump is and which data modules it loads, in load order. */
export const dump = {};

/**
 * One-off transforms for this dump only: edit here to change rows on their way in.
 * Each entry names a table key (see schema.ts) and returns the row to load, or null to drop it.
 * They run last, after the application's migration steps (when the restore upgrades the
 * data to another application version), on rows with the columns of the final schema.
 * Example:
 *   { table: "users", row: (row) => ({ ...row, email: String(row.email).toLowerCase() }) },
 */
export const transforms: RowTransform[] = [
];

if (isEntrypoint(import.meta.url)) await restore(import.meta.url, dump, schema, transforms);
