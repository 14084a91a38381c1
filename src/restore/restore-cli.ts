import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { type FlagSpec, helpText, parseFlags, stringFlag } from "../cli/flags.ts";
import { ProgressBar } from "../cli/progress.ts";
import { confirm } from "../cli/prompt.ts";
import { reportError } from "../cli/report-error.ts";
import type { DumpManifest } from "../emitter/restore-module-emitter.ts";
import { GenDumpError } from "../errors.ts";
import type { DatabaseSchema } from "../model/schema-model.ts";
import { type RestoreReport, restoreDump } from "./restore.ts";
import type { RowTransform } from "./row-transforms.ts";

export const RESTORE_FLAGS: readonly FlagSpec[] = [
  { name: "db", type: "string", value: "URL", description: "Target database: a SQLite file path or URL, or postgres://... (default: $DATABASE_URL)" },
  { name: "noinput", type: "boolean", description: "Never ask: replace existing data in the target without asking" },
  { name: "simulate", type: "boolean", description: "Run the whole restore and migration inside a transaction, print rows in and out per step and table, then roll back" },
  { name: "to-version", type: "string", value: "VERSION", description: "Application version to upgrade the data to (default: gen-dump.config's version); steps run from the dump's appVersion" },
  { name: "migrations", type: "string", value: "PATH", description: "The application's migrations module (default: gen-dump.config's migrations)" },
  { name: "data-only", type: "boolean", description: "The target already has the new schema: check it fits, empty its tables and load the rows" },
  { name: "tolerate", type: "boolean", description: "Skip tables whose rows fail to load, load the rest, list the failures and exit 1" },
  { name: "quiet", type: "boolean", short: "q", description: "Print nothing but errors" },
  { name: "debug", type: "boolean", description: "Print stack traces with errors" },
  { name: "help", type: "boolean", short: "h", description: "Show this help" },
];

/** What a dump's restore.ts hands to the runtime (see templates/dump-helpers.ts). */
export interface RestoreEntry {
  readonly entry: string;
  readonly dump: unknown;
  readonly schema: unknown;
  readonly transforms: readonly RowTransform[];
}

/** `tsx DUMP/restore.ts [options]`: parse the flags, restore, print, set the exit code. */
export async function restoreCli(entry: RestoreEntry, argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  let debug = argv.includes("--debug");
  try {
    const { values, positionals } = parseFlags(RESTORE_FLAGS, argv, "restore.ts");
    debug = values.debug === true;
    if (values.help) {
      process.stdout.write(helpText(["npx tsx restore.ts [options]"], "Restore this gen-dump dump into a database, in one transaction.", RESTORE_FLAGS));
      return;
    }
    if (positionals.length > 0) throw new GenDumpError("USAGE", `restore.ts takes no positional arguments (got ${positionals.join(" ")}); name the target with --db.`);
    const bar = ProgressBar.forTerminal(values.quiet === true);
    const report = await restoreDump({
      dumpDir: dirname(fileURLToPath(entry.entry)),
      dump: entry.dump as DumpManifest,
      schema: entry.schema as DatabaseSchema,
      transforms: entry.transforms,
      db: stringFlag(values, "db"),
      noinput: values.noinput === true,
      simulate: values.simulate === true,
      tolerate: values.tolerate === true,
      dataOnly: values["data-only"] === true,
      toVersion: stringFlag(values, "to-version"),
      migrations: stringFlag(values, "migrations"),
      confirm,
      onProgress: bar
        ? (e) => (e.type === "table-start" ? bar.start(e.table, e.total) : e.type === "rows" ? bar.update(e.rows) : bar.done(e.rows))
        : undefined,
    });
    printReport(report, values.quiet === true);
    if (report.failedTables.length > 0) process.exitCode = 1;
  } catch (error) {
    process.exitCode = reportError(error, { debug, program: "restore.ts" });
  }
}

function printReport(report: RestoreReport, quiet: boolean): void {
  for (const f of report.failedTables) process.stderr.write(`restore.ts: table ${f.table} was skipped (--tolerate): ${f.message}\n`);
  if (!quiet) for (const w of report.warnings) process.stderr.write(`restore.ts: warning: ${w}\n`);
  if (report.simulated) {
    const lines = report.tables.map((t) => `  ${t.table}: ${t.rows} rows\n`).join("");
    process.stdout.write(`Simulation: would load ${report.tables.length} tables into ${report.target}${report.replacedExisting ? ", replacing its existing data" : ""}; rolled back, nothing changed.\n${lines}${stepLines(report)}`);
    return;
  }
  if (!quiet && process.stderr.isTTY) {
    const rows = report.tables.reduce((n, t) => n + t.rows, 0);
    const migrated = report.steps.length > 0 && report.toVersion !== null && report.toVersion !== report.fromVersion ? ` (application version ${report.fromVersion} → ${report.toVersion})` : "";
    process.stderr.write(`Restored ${report.tables.length} tables, ${rows} rows, into ${report.target}${migrated}\n`);
  }
}

/** `Step "2":` then `  table: N in → M out` per table, for --simulate. */
function stepLines(report: RestoreReport): string {
  if (report.steps.length === 0) return "";
  const migrating = report.toVersion !== null && report.toVersion !== report.fromVersion;
  const head = migrating ? `Migration from application version ${JSON.stringify(report.fromVersion)} to ${JSON.stringify(report.toVersion)}:\n` : "Transforms:\n";
  const steps = report.steps.map((s) => {
    const rows = s.tables.map((t) => `  ${t.table}: ${t.in} rows in → ${t.out} rows out\n`).join("");
    return `Step ${JSON.stringify(s.step)}:\n${rows || "  (no rows)\n"}`;
  });
  return head + steps.join("");
}
