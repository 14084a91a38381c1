import { diffDumps } from "../diff/diff-dumps.ts";
import { formatJson, formatRowPatches, formatSummary } from "../diff/diff-format.ts";
import { GenDumpError } from "../errors.ts";
import { type FlagSpec, helpText, intFlag, parseFlags } from "./flags.ts";

export const DIFF_FLAGS: readonly FlagSpec[] = [
  { name: "stat", type: "boolean", description: "Print only the summary: one line of counts per table" },
  { name: "json", type: "boolean", description: "Print one JSON document (tables, columns and rows that differ, values as literals)" },
  { name: "quiet", type: "boolean", short: "q", description: "Print nothing; the exit status tells" },
  { name: "exact", type: "boolean", description: "Compare storage classes too (INTEGER 1 differs from REAL 1.0); the default for two dumps of one engine" },
  { name: "loose", type: "boolean", description: "Compare values after the cross-engine type mapping; the default across engines" },
  { name: "max-rows", type: "string", value: "N", description: "Show at most N changed rows per table in the unified diff (default 1000)" },
  { name: "debug", type: "boolean", description: "Print stack traces with errors" },
  { name: "help", type: "boolean", short: "h", description: "Show this help" },
];

export const DIFF_HELP = helpText(
  ["gen-dump diff [--stat | --json] [options] A B"],
  "Compare two dumps by primary key, whichever module each row is in: tables and columns added, removed or\n" +
    "changed in type; rows added, removed or changed, with the changed values shown old → new.\n" +
    "Exit status, as diff(1): 0 equal, 1 different, 2 trouble.",
  DIFF_FLAGS,
);

/** `gen-dump diff A B`. Returns 0 when equal, 1 when different (errors throw: main makes them 2). */
export async function diffCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(DIFF_FLAGS, argv, "gen-dump diff");
  if (values.help) {
    process.stdout.write(DIFF_HELP);
    return 0;
  }
  if (positionals.length !== 2) {
    throw new GenDumpError("USAGE", `gen-dump diff takes two dump directories, A and B (got ${positionals.length}). Run \`gen-dump diff --help\`.`);
  }
  if (values.exact && values.loose) throw new GenDumpError("USAGE", "--exact and --loose exclude each other; give one of them.");
  if (values.stat && values.json) throw new GenDumpError("USAGE", "--stat and --json exclude each other; give one of them.");
  const [a, b] = positionals as [string, string];
  const equality = values.exact ? "exact" : values.loose ? "loose" : undefined;
  const maxRows = intFlag(values, "max-rows") ?? 1000;
  // NOTE: row details are only kept when they are printed; --stat and --quiet need counts only.
  const details = values.json ? Infinity : values.stat || values.quiet ? 0 : maxRows;
  const diff = await diffDumps(a, b, { equality, maxChanges: details });
  if (values.json) process.stdout.write(formatJson(diff));
  else if (!values.quiet) {
    process.stdout.write(formatSummary(diff));
    if (!values.stat && !diff.equal) {
      const patches = formatRowPatches(diff, { a, b }, maxRows);
      if (patches !== "") process.stdout.write("\n" + patches);
    }
  }
  return diff.equal ? 0 : 1;
}
