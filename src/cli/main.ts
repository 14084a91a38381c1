import { GEN_DUMP_VERSION } from "../version.ts";
import { dumpCommand } from "./dump-command.ts";
import { reportError } from "./report-error.ts";

/** A subcommand: takes its own argv, returns the exit code. */
type Command = (argv: readonly string[]) => Promise<number>;

const SUBCOMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  check: async () => (await import("./check-command.ts")).checkCommand,
  diff: async () => (await import("./diff-command.ts")).diffCommand,
  ddt: async () => (await import("./ddt-command.ts")).ddtCommand,
};

/** Entry of the `gen-dump` binary. */
export async function main(argv: readonly string[]): Promise<number> {
  const debug = argv.includes("--debug");
  const [first, ...rest] = argv;
  const program = first !== undefined && first in SUBCOMMANDS ? `gen-dump ${first}` : "gen-dump";
  try {
    if (first === "--version" || first === "-V") {
      process.stdout.write(`gen-dump ${GEN_DUMP_VERSION}\n`);
      return 0;
    }
    if (first !== undefined && first in SUBCOMMANDS) return await (await SUBCOMMANDS[first]!())(rest);
    return await dumpCommand(argv);
  } catch (error) {
    // diff(1) convention for `gen-dump diff`: 2 means trouble.
    const code = reportError(error, { debug, program });
    return first === "diff" ? 2 : code;
  }
}
