import { dump, DEFAULT_MAX_ROW_COUNT, type DumpReport } from "../dump/dump.ts";
import { GenDumpError } from "../errors.ts";
import { type FlagSpec, helpText, intFlag, listFlag, parseFlags, stringFlag } from "./flags.ts";
import { ProgressBar } from "./progress.ts";
import { confirm } from "./prompt.ts";

export const DUMP_FLAGS: readonly FlagSpec[] = [
  { name: "db", type: "string", value: "URL", description: "Database to dump: a SQLite file path or URL, or postgres://... (default: $DATABASE_URL)" },
  { name: "max-row-count", type: "string", value: "N", description: `Rows per data module; larger tables are split into parts (default ${DEFAULT_MAX_ROW_COUNT})` },
  { name: "app-version", type: "string", value: "V", description: "Application version to record (default: read from the database's migrations record, else empty)" },
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
  "Write a database as an executable TypeScript dump: one module per table (split every --max-row-count rows),\n" +
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
      onProgress: bar
        ? (e) => (e.type === "table-start" ? bar.start(e.table, e.estimate) : e.type === "rows" ? bar.update(e.rows) : bar.done(e.rows))
        : undefined,
    });
  let report: DumpReport;
  try {
    report = await run(values.overwrite === true);
  } catch (error) {
    const mayAsk = error instanceof GenDumpError && error.code === "OUTPUT_EXISTS" && !values.noinput && process.stdin.isTTY;
    if (!mayAsk || !(await confirm(`${positionals[0]} is not empty. Replace it with the new dump?`))) throw error;
    report = await run(true);
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
