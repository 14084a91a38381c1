import { GenDumpError } from "../errors.ts";

/**
 * Print an error the way every gen-dump command does: the one-paragraph message, no
 * stack unless --debug. Returns the exit code (2 for usage errors, else 1).
 */
export function reportError(error: unknown, options: { readonly debug: boolean; readonly program: string }): number {
  if (error instanceof GenDumpError) {
    process.stderr.write(`${options.program}: ${error.message}\n`);
    if (options.debug && error.stack) process.stderr.write(`${error.stack}\n`);
    return error.code === "USAGE" ? 2 : 1;
  }
  if ((error as { reported?: boolean } | null)?.reported) return 2;
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${options.program}: unexpected error: ${message}\n`);
  if (options.debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write("Run again with --debug for the stack trace, and report it as a gen-dump bug.\n");
  return 1;
}
