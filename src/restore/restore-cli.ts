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
  { name: "simulate", type: "boolean", description: "Run the whole restore inside a transaction, report, then roll back" },
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
  if (report.simulated) {
    const lines = report.tables.map((t) => `  ${t.table}: ${t.rows} rows\n`).join("");
    process.stdout.write(`Simulation: would load ${report.tables.length} tables into ${report.target}${report.replacedExisting ? ", replacing its existing data" : ""}; rolled back, nothing changed.\n${lines}`);
    return;
  }
  if (!quiet && process.stderr.isTTY) {
    const rows = report.tables.reduce((n, t) => n + t.rows, 0);
    process.stderr.write(`Restored ${report.tables.length} tables, ${rows} rows, into ${report.target}\n`);
  }
}
