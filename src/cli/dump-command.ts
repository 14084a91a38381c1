import { dump, DEFAULT_MAX_ROW_COUNT, type DumpReport } from "../dump/dump.ts";
import { removeUnfinishedOutputSync } from "../dump/output-dir.ts";
import { GenDumpError } from "../errors.ts";
import { GEN_DUMP_VERSION } from "../version.ts";
import { type FlagSpec, helpText, intFlag, listFlag, parseFlags, stringFlag } from "./flags.ts";
import { ProgressBar } from "./progress.ts";
import { confirm } from "./prompt.ts";

export const DUMP_FLAGS: readonly FlagSpec[] = [
  { name: "db", type: "string", value: "URL", description: "Database to dump: a SQLite file path or URL, or postgres://... (default: $DATABASE_URL, else db in gen-dump.config.ts)" },
  { name: "max-row-count", type: "string", value: "N", description: `At most N rows per data module; a larger table is split into parts of N/2 to N rows at boundaries chosen by row keys (default ${DEFAULT_MAX_ROW_COUNT})` },
  { name: "jobs", type: "string", value: "N", short: "j", description: "Read N tables at once, each in its own thread and connection on one shared snapshot (default 1; SQLite in WAL mode reads with one connection)" },
  { name: "app-version", type: "string", value: "V", description: "Application version to record (default: gen-dump.config.ts's version, else read from the database's migrations record, else empty)" },
  { name: "overwrite", type: "boolean", description: "Replace a non-empty OUTPUT_DIR; files the new dump does not write are removed" },
  { name: "noinput", type: "boolean", description: "Never ask; without --overwrite an existing OUTPUT_DIR is refused" },
  { name: "simulate", type: "boolean", description: "Read everything, write nothing; report what would be written and whether the schema changed" },
  { name: "tolerate", type: "boolean", description: "Dump the tables that can be read, list those that failed, and exit 1" },
  { name: "schema", type: "string", multiple: true, value: "PATTERN", description: "PostgreSQL: dump only matching schemas (repeatable)" },
  { name: "exclude-schema", type: "string", multiple: true, value: "PATTERN", description: "PostgreSQL: skip matching schemas (repeatable)" },
  { name: "table", type: "string", multiple: true, value: "PATTERN", short: "t", description: "Dump only matching tables (repeatable; pg_dump pattern syntax)" },
  { name: "exclude-table", type: "string", multiple: true, value: "PATTERN", short: "T", description: "Skip matching tables (repeatable)" },
  { name: "exclude-table-data", type: "string", multiple: true, value: "PATTERN", description: "Dump matching tables' definitions but not their rows (repeatable)" },
  { name: "quiet", type: "boolean", short: "q", description: "Print nothing but errors" },
  { name: "debug", type: "boolean", description: "Print stack traces with errors" },
  { name: "help", type: "boolean", short: "h", description: "Show this help" },
  { name: "version", type: "boolean", short: "V", description: "Show gen-dump's version" },
];

export const DUMP_HELP = helpText(
  ["gen-dump [options] OUTPUT_DIR", "gen-dump check DIR", "gen-dump diff [--stat|--json] A B", "gen-dump ddt [--db URL]"],
  "Write a database as an executable TypeScript dump: one module per table (more than --max-row-count rows: numbered parts),\n" +
    "schema.ts and restore.ts. Restore with: npx tsx OUTPUT_DIR/restore.ts --db TARGET\n" +
    "Run `gen-dump check --help`, `gen-dump diff --help` or `gen-dump ddt --help` for the other commands.",
  DUMP_FLAGS,
);

/** `gen-dump [options] OUTPUT_DIR`. Returns the exit code. */
export async function dumpCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(DUMP_FLAGS, argv, "gen-dump");
  if (values.help) {
    process.stdout.write(DUMP_HELP);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`gen-dump ${GEN_DUMP_VERSION}\n`);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new GenDumpError("USAGE", `gen-dump takes exactly one OUTPUT_DIR (got ${positionals.length}). Run \`gen-dump --help\` for the options.`);
  }
  const quiet = values.quiet === true;
  const bar = ProgressBar.forTerminal(quiet);
  const run = (overwrite: boolean) =>
    dump({
      db: stringFlag(values, "db"),
      outputDir: positionals[0]!,
      maxRowCount: intFlag(values, "max-row-count"),
      jobs: intFlag(values, "jobs"),
      appVersion: stringFlag(values, "app-version"),
      overwrite,
      simulate: values.simulate === true,
      tolerate: values.tolerate === true,
      selection: {
        schemas: listFlag(values, "schema"),
        excludeSchemas: listFlag(values, "exclude-schema"),
        tables: listFlag(values, "table"),
        excludeTables: listFlag(values, "exclude-table"),
        excludeTableData: listFlag(values, "exclude-table-data"),
      },
      onProgress: bar ? (e) => bar.event(e) : undefined,
    });
  let report: DumpReport;
  const stopCleanup = cleanUpOnSignals();
  try {
    report = await run(values.overwrite === true);
  } catch (error) {
    const mayAsk = error instanceof GenDumpError && error.code === "OUTPUT_EXISTS" && !values.noinput && process.stdin.isTTY;
    if (!mayAsk || !(await confirm(`${positionals[0]} is not empty. Replace it with the new dump?`))) throw error;
    report = await run(true);
  } finally {
    stopCleanup();
  }
  // NOTE: off a terminal a dump prints nothing but errors (cron-friendly); a simulation always reports.
  if (report.simulated || (!quiet && process.stderr.isTTY)) printReport(report);
  if (report.failedTables.length > 0) {
    process.stderr.write(
      `gen-dump: ${report.failedTables.length} table(s) could not be read and are missing from the dump:\n` +
        report.failedTables.map((f) => `  ${f.table}: ${f.message}\n`).join(""),
    );
    return 1;
  }
  return 0;
}

const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/**
 * On Ctrl-C (or a kill), remove the half-written temporary directory before exiting, so
 * an interrupted dump leaves nothing behind at all. Returns the function that uninstalls
 * the handlers.
 */
function cleanUpOnSignals(): () => void {
  const handler = (signal: NodeJS.Signals) => {
    removeUnfinishedOutputSync();
    process.stderr.write(`gen-dump: interrupted (${signal}); nothing was written.\n`);
    process.exit(SIGNAL_EXIT[signal] ?? 1);
  };
  for (const signal of Object.keys(SIGNAL_EXIT)) process.on(signal, handler);
  return () => {
    for (const signal of Object.keys(SIGNAL_EXIT)) process.off(signal, handler);
  };
}

function printReport(report: DumpReport): void {
  const rows = report.tables.reduce((n, t) => n + t.rows, 0);
  const files = report.tables.reduce((n, t) => n + t.files.length, 0);
  if (report.simulated) {
    const change =
      report.schemaChanged === null ? "there is no earlier dump there to compare with" : report.schemaChanged ? "the schema DIFFERS from the dump already there" : "the schema is the same as the dump already there";
    const lines = report.tables.map((t) => `  ${t.table}: ${t.rows} rows in ${t.files.length} module(s)\n`);
    process.stdout.write(`Simulation: would write ${report.tables.length} tables, ${rows} rows, ${files} data modules to ${report.outputDir}; ${change}.\n${lines.join("")}`);
    return;
  }
  process.stderr.write(`Dumped ${report.tables.length} tables, ${rows} rows, into ${files} data modules in ${report.outputDir}\n`);
}
