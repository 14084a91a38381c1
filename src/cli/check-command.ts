import { join } from "node:path";
import { checkDump } from "../check/check-dump.ts";
import { type CheckProblem, type CheckReport, problemLocation } from "../check/check-report.ts";
import { sanitizeComment } from "../encoding/literal-encoder.ts";
import { GenDumpError } from "../errors.ts";
import { type FlagSpec, helpText, intFlag, parseFlags } from "./flags.ts";

export const CHECK_FLAGS: readonly FlagSpec[] = [
  { name: "compile-all", type: "boolean", description: "Type-check every file with the TypeScript compiler, not only those the fast literal check cannot vouch for (slow: about 4 s per 50,000 rows)" },
  { name: "max-listed", type: "string", value: "N", description: "List at most N errors of one kind per table; count the rest (default 20)" },
  { name: "json", type: "boolean", description: "Print the report as one JSON document" },
  { name: "quiet", type: "boolean", short: "q", description: "Print errors only: no notes, no summary" },
  { name: "debug", type: "boolean", description: "Print stack traces with errors" },
  { name: "help", type: "boolean", short: "h", description: "Show this help" },
];

export const CHECK_HELP = helpText(
  ["gen-dump check [options] DIR"],
  "Verify a dump without a database: every module reads and type-checks against schema.ts, primary and unique\n" +
    "keys are unique, foreign keys point to rows in the dump; files edited since the dump are noted (checksums.sha256).\n" +
    "Each problem is printed as FILE:LINE:COL: error: table T, column C: message.\n" +
    "Exit status: 0 no errors (notes are fine), 1 errors found, 2 bad usage.",
  CHECK_FLAGS,
);

/** `gen-dump check DIR`. Returns the exit code. */
export async function checkCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(CHECK_FLAGS, argv, "gen-dump check");
  if (values.help) {
    process.stdout.write(CHECK_HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new GenDumpError("USAGE", `gen-dump check takes exactly one DIR, the dump directory (got ${positionals.length}). Run \`gen-dump check --help\`.`);
  }
  const dir = positionals[0]!;
  const report = await checkDump(dir, { compileAll: values["compile-all"] === true, maxListed: intFlag(values, "max-listed") });
  if (values.json) process.stdout.write(JSON.stringify(report, null, 2) + "\n");
  else process.stdout.write(formatReport(report, dir, values.quiet === true));
  return report.errors.length > 0 ? 1 : 0;
}

/** One line per problem, paths as the user named the dump (so editors can jump to them). */
export function formatReport(report: CheckReport, dir: string, quiet: boolean): string {
  const lines = report.errors.map((p) => problemLine(p, "error", dir));
  if (!quiet) {
    lines.push(...report.notes.map((p) => problemLine(p, "note", dir)));
    const verdict = report.errors.length === 0 ? "OK" : `${report.errors.length} error(s)`;
    const compiled = report.compiled.length === 0 ? "literal fast path only" : `compiler on ${report.compiled.length} file(s)`;
    lines.push(
      `check ${dir}: ${verdict}, ${report.notes.length} note(s); ${report.tables} tables, ${report.rows} rows in ${report.seconds.toFixed(1)} s (${compiled})`,
    );
  }
  return lines.map((l) => l + "\n").join("");
}

function problemLine(p: CheckProblem, severity: "error" | "note", dir: string): string {
  const at = problemLocation(p, dir.endsWith("/") ? dir : join(dir, "/"));
  const where = [p.table === null ? null : `table ${p.table}`, p.column === null ? null : `column ${p.column}`].filter((x) => x !== null);
  const head = `${at ? `${at}: ` : ""}${severity}: ${where.length > 0 ? `${where.join(", ")}: ` : ""}`;
  return sanitizeComment(head + p.message);
}
