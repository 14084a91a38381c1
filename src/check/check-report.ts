/** What `check` found in a dump. */
export interface CheckReport {
  /** The dump directory, absolute. */
  readonly dir: string;
  /** Problems that make the dump unfit to restore as it is. Non-empty means exit 1. */
  readonly errors: readonly CheckProblem[];
  /** Things worth knowing that are not errors: edited files, checks that were skipped. */
  readonly notes: readonly CheckProblem[];
  readonly tables: number;
  readonly rows: number;
  /** Files the TypeScript compiler checked (the others passed the literal fast path). */
  readonly compiled: readonly string[];
  readonly seconds: number;
}

/** One problem or note; positions are 1-based, `file` relative to the dump directory. */
export interface CheckProblem {
  readonly code: CheckCode;
  readonly message: string;
  readonly file: string | null;
  readonly line: number | null;
  readonly col: number | null;
  /** Display name of the table (`schema.name` or `name`). */
  readonly table: string | null;
  readonly column: string | null;
}

export type CheckCode =
  | "syntax" // a module (or restore.ts / schema.ts) that does not parse
  | "type" // a value the column's type refuses (compiler or literal fast path)
  | "format" // a module that is not rows(key, columns, [...]) of the table restore.ts names
  | "duplicate" // a primary key or unique key seen twice
  | "dangling" // a foreign key without its referenced row
  | "more" // a summary of problems not listed one by one
  | "edited" // a file changed since the dump (note)
  | "missing-file" // a file the manifest or restore.ts lists is gone
  | "extra-file" // a file the manifest does not list (note)
  | "skipped"; // a check that could not run (note)

/** `file:line:col` with what is known. */
export function problemLocation(problem: Pick<CheckProblem, "file" | "line" | "col">, prefix = ""): string {
  if (problem.file === null) return "";
  let at = prefix + problem.file;
  if (problem.line !== null) at += `:${problem.line}`;
  if (problem.line !== null && problem.col !== null) at += `:${problem.col}`;
  return at;
}

export function problem(code: CheckCode, message: string, at: Partial<Omit<CheckProblem, "code" | "message">> = {}): CheckProblem {
  return {
    code,
    message,
    file: at.file ?? null,
    line: at.line ?? null,
    col: at.col ?? null,
    table: at.table ?? null,
    column: at.column ?? null,
  };
}
