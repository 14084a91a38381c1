import { formatRowPatches, formatSummary } from "../diff/diff-format.ts";
import { type DoubleDumpReport, doubleDumpTest } from "../diff/double-dump-test.ts";
import { sanitizeComment } from "../encoding/literal-encoder.ts";
import { GenDumpError } from "../errors.ts";
import { type FlagSpec, helpText, intFlag, parseFlags, stringFlag } from "./flags.ts";

export const DDT_FLAGS: readonly FlagSpec[] = [
  { name: "db", type: "string", value: "URL", description: "Database to test: a SQLite file path or URL, or postgres://... (default: $DATABASE_URL); only read" },
  { name: "max-row-count", type: "string", value: "N", description: "Rows per data module in both dumps (default 50000)" },
  { name: "keep", type: "boolean", description: "Keep the two dumps and print where they are" },
  { name: "quiet", type: "boolean", short: "q", description: "Print nothing on PASS; the exit status tells" },
  { name: "debug", type: "boolean", description: "Print stack traces with errors" },
  { name: "help", type: "boolean", short: "h", description: "Show this help" },
];

export const DDT_HELP = helpText(
  ["gen-dump ddt [--db URL] [options]"],
  "The Double Dump Test: dump the database, restore the dump into a scratch database of the same engine\n" +
    "(a temporary SQLite file, or a PostgreSQL database created and dropped again), dump that, and compare\n" +
    "both dumps row by row and byte for byte. Prints PASS, or FAIL with the differences.\n" +
    "The database itself is only read. Exit status: 0 PASS, 1 FAIL or error, 2 bad usage.",
  DDT_FLAGS,
);

/** `gen-dump ddt [--db URL]`. Returns 0 on PASS, 1 on FAIL. */
export async function ddtCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(DDT_FLAGS, argv, "gen-dump ddt");
  if (values.help) {
    process.stdout.write(DDT_HELP);
    return 0;
  }
  if (positionals.length > 0) {
    throw new GenDumpError("USAGE", `gen-dump ddt takes no positional arguments (got ${positionals.join(" ")}); name the database with --db.`);
  }
  const report = await doubleDumpTest({
    db: stringFlag(values, "db"),
    maxRowCount: intFlag(values, "max-row-count"),
    keep: values.keep === true,
  });
  if (!report.passed || values.quiet !== true) process.stdout.write(formatDdt(report));
  return report.passed ? 0 : 1;
}

/** PASS or FAIL, then what differs: the row diff, and the first byte difference. */
export function formatDdt(report: DoubleDumpReport): string {
  const rows = report.diff.tables.reduce((n, t) => n + t.rowsA, 0);
  let out = report.passed
    ? `PASS: ${sanitizeComment(report.source)}: dump → restore → dump gave identical files (${report.diff.tables.length} tables, ${rows} rows)\n`
    : `FAIL: ${sanitizeComment(report.source)}: the dump of the restored copy differs from the dump of the database\n`;
  if (!report.passed) {
    out += formatSummary(report.diff);
    const patches = formatRowPatches(report.diff, { a: "first", b: "second" });
    if (patches !== "") out += "\n" + patches;
    const d = report.fileDifference;
    if (d !== null) {
      out += d.line === null
        ? `\nfirst file difference: ${d.file} is only in the ${d.a === null ? "second" : "first"} dump\n`
        : `\nfirst file difference: ${d.file}:${d.line}\n- ${sanitizeComment(d.a ?? "")}\n+ ${sanitizeComment(d.b ?? "")}\n`;
    }
  }
  if (report.dumps) out += `dumps kept: ${report.dumps.first} ${report.dumps.second}\n`;
  return out;
}
