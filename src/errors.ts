/**
 * The one error type gen-dump raises on purpose. `code` is stable (scripts and tests
 * match on it), `message` is one human paragraph that says what happened and what to
 * do, and `context` names the table, file, line, column and row involved.
 */
export class GenDumpError extends Error {
  override readonly name = "GenDumpError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly context: ErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type ErrorCode =
  | "USAGE" // bad command-line arguments
  | "CONNECT" // the database cannot be opened or reached
  | "OUTPUT_EXISTS" // OUTPUT_DIR is not empty and --overwrite was not given
  | "READ" // reading a table failed
  | "WRITE" // writing the dump failed
  | "DUMP_FORMAT" // a dump file is malformed (syntax error, wrong shape)
  | "DUMP_TYPE" // a value does not fit its column
  | "TARGET_NOT_EMPTY" // the restore target holds data and the user did not agree to replace it
  | "RESTORE" // the target database rejected something during restore
  | "UNSUPPORTED" // a feature the target or source engine cannot express
  | "TRANSFORM" // a version-aware transform failed or is missing
  | "ABORTED" // the user said no
  | "INTERNAL";

export interface ErrorContext {
  readonly table?: string;
  readonly column?: string;
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
  readonly row?: number;
  readonly sql?: string;
}

/** Wrap a driver error with the SQL and table it happened on. */
export function databaseError(
  code: ErrorCode,
  what: string,
  error: unknown,
  context: ErrorContext = {},
): GenDumpError {
  if (error instanceof GenDumpError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new GenDumpError(code, `${what}: ${reason}`, context, { cause: error });
}

/** `file:line:col` for messages, leaving out what is unknown. */
export function formatLocation(context: ErrorContext): string {
  if (context.file === undefined) return "";
  let at = context.file;
  if (context.line !== undefined) at += `:${context.line}`;
  if (context.line !== undefined && context.col !== undefined) at += `:${context.col}`;
  return at;
}

/**
 * The gist of an error's message for a one-paragraph report: its first line, and when that
 * line only announces what follows (esbuild's "Transform failed with 1 error:"), the next.
 */
export function errorGist(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const lines = error.message.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  const first = lines[0] ?? error.name;
  return first.endsWith(":") && lines[1] !== undefined ? `${first} ${lines[1]}` : first;
}
