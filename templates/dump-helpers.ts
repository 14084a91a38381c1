/**
 * dump-helpers.ts — copied unchanged into every gen-dump dump directory.
 *
 * The data modules of a dump are plain literals; this file gives them their types, so
 * that `tsc -p DUMP_DIR` flags a hand edit that puts a value of the wrong kind into a
 * column, and the few tags that keep a value's storage class when it differs from its
 * column's (`real(1)` in an INTEGER column, `text("x")` in a REAL one, `blob("...")`).
 *
 * It depends on nothing, not even Node's types (the dump's tsconfig.json gives it the
 * standard ES and DOM libraries for URL, console and import.meta), so a dump type-checks anywhere.
 */

/** A value whose kind differs from its column's, or that has no plain literal (bytes). */
export interface Tag<K extends TagKind = TagKind> {
  readonly $tag: K;
  readonly value: unknown;
}
export type TagKind = "int" | "real" | "text" | "bool" | "blob" | "rawText";

/** An INTEGER where the column expects another kind. */
export const int = (value: number | bigint): Tag<"int"> => ({ $tag: "int", value: BigInt(value) });
/** A REAL (floating-point) value where the column expects another kind, or an integral REAL. */
export const real = (value: number): Tag<"real"> => ({ $tag: "real", value });
/** TEXT where the column expects another kind. */
export const text = (value: string): Tag<"text"> => ({ $tag: "text", value });
/** A boolean where the column expects another kind. */
export const bool = (value: boolean): Tag<"bool"> => ({ $tag: "bool", value });
/** Bytes (BLOB, bytea), base64-encoded. */
export const blob = (base64: string): Tag<"blob"> => ({ $tag: "blob", value: base64 });
/** TEXT whose bytes are not valid UTF-8, base64-encoded. */
export const rawText = (base64: string): Tag<"rawText"> => ({ $tag: "rawText", value: base64 });

/** Column types, by the kind of literal the column expects. Nullable columns add `| null`. */
export type Int = number | bigint | Tag;
export type Real = number | Tag;
export type Text = string | Tag;
export type Bool = boolean | Tag;
export type Blob = Tag;
export type Any = number | bigint | string | boolean | Tag;

/** What a data module exports: one table's rows, in the order of `columns`. */
export interface TableData<Row extends readonly unknown[] = readonly unknown[]> {
  /** The table's key in `schema.ts` (also the stem of its file names). */
  readonly table: string;
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
}

/** Declare a data module's rows; the type argument is the table's row type from `schema.ts`. */
export function rows<Row extends readonly unknown[]>(
  table: string,
  columns: readonly string[],
  data: readonly Row[],
): TableData<Row> {
  return { table, columns, rows: data };
}

/** A one-off transform for this dump; see the comments in restore.ts. */
export interface RowTransform {
  /** The table key the transform applies to. */
  readonly table: string;
  /** Return the row to load (changed or not), or null to drop it. */
  readonly row: (row: Record<string, unknown>) => Record<string, unknown> | null;
}

/** Whether `entry` (an `import.meta.url`) is the script node was started with. */
export function isEntrypoint(entry: string): boolean {
  const argv = (globalThis as unknown as { process?: { argv: string[] } }).process?.argv ?? [];
  const script = argv[1];
  if (script === undefined) return false;
  const path = decodeURIComponent(new URL(entry).pathname);
  return path === script || path === `${script}.ts` || path.replace(/\.ts$/, "") === script;
}

/**
 * Run the restore: find the gen-dump runtime (next to this dump, else in the project of
 * the current directory) and hand it this dump. Used by restore.ts.
 */
export async function restore(entry: string, dump: unknown, schema: unknown, transforms: readonly RowTransform[]): Promise<void> {
  const runtime = await locateRuntime(entry);
  // NOTE: not found is already reported in one paragraph, with exit code 2: no stack trace after it.
  if (runtime !== null) await runtime.restoreCli({ entry, dump, schema, transforms });
}

interface Runtime {
  restoreCli(options: { entry: string; dump: unknown; schema: unknown; transforms: readonly RowTransform[] }): Promise<void>;
}

async function locateRuntime(entry: string): Promise<Runtime | null> {
  const specifier = "gen-dump/restore";
  try {
    return (await import(specifier)) as Runtime;
  } catch (first) {
    if (!isNotFound(first)) throw first;
  }
  // NOTE: the dump may live outside any project (another disk, /tmp); then resolve
  // gen-dump from the directory the user runs restore.ts from.
  const nodeModule = "node:module";
  const nodeUrl = "node:url";
  const { createRequire } = (await import(nodeModule)) as { createRequire(path: string): { resolve(id: string): string } };
  const { pathToFileURL } = (await import(nodeUrl)) as { pathToFileURL(path: string): URL };
  const cwd = (globalThis as unknown as { process: { cwd(): string; exitCode?: number } }).process.cwd();
  let resolved: string;
  try {
    resolved = createRequire(`${cwd}/noop.js`).resolve(specifier);
  } catch {
    const message =
      `gen-dump is not installed where this dump can find it (looked next to ${entry} and in ${cwd}). ` +
      "Run restore.ts from a project that has gen-dump installed (npm install gen-dump), " +
      "or install it next to the dump directory.";
    console.error(message);
    (globalThis as unknown as { process: { exitCode?: number } }).process.exitCode = 2;
    return null;
  }
  return (await import(pathToFileURL(resolved).href)) as Runtime;
}

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND" || code === "ERR_PACKAGE_PATH_NOT_EXPORTED";
}
