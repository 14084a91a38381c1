import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { GenDumpError } from "../errors.ts";
import { type TableSchema, displayName } from "../model/schema-model.ts";
import { type DumpDirectory, readDumpDirectory } from "../restore/dump-directory.ts";
import { type CheckReport, problem } from "./check-report.ts";
import { type ChecksumStatus, CHECKSUM_FILE, verifyChecksums } from "./checksum-verifier.ts";
import { KeyIndex } from "./key-index.ts";
import { type RowLocator, reportFindings, scanModule } from "./module-scanner.ts";
import { DumpCompiler } from "./module-type-checker.ts";
import { ProblemCollector } from "./problem-collector.ts";

/** Options of `checkDump()`; `gen-dump check` flags map onto these. */
export interface CheckOptions {
  /**
   * Run the TypeScript compiler on every file of the dump, not only on the files the
   * literal fast path cannot vouch for. Exact but slow: about 4 s per 50,000 rows
   * (memory stays that of one module).
   */
  readonly compileAll?: boolean;
  /** Errors of one kind listed per table before the rest are only counted (default 20). */
  readonly maxListed?: number;
}

/** Files whose edit changes what every module means: then every module is compiled. */
const SHARED_FILES = ["schema.ts", "dump-helpers.ts", "tsconfig.json"];
const SMALL_FILES = ["restore.ts", "schema.ts", "dump-helpers.ts"];

/**
 * Verify a dump without a database: every module reads and type-checks against the
 * schema; primary and unique keys are unique; foreign keys point to rows in the dump
 * (unless the source had dangling references, which the dump records); the checksum
 * manifest tells which files were edited since the dump (a note, not an error).
 *
 * Like a restore, it imports restore.ts and schema.ts (restore.ts restores only when it
 * is the entrypoint); a data module is imported only when it is more than literals and
 * the compiler found no error in it.
 */
export async function checkDump(dir: string, options: CheckOptions = {}): Promise<CheckReport> {
  const started = performance.now();
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory() || !existsSync(join(root, "restore.ts"))) {
    throw new GenDumpError("USAGE", `${dir} is not a gen-dump dump directory (one with a restore.ts); give the directory a dump was written to.`);
  }
  const problems = new ProblemCollector(options.maxListed ?? 20);
  const sums = await verifyChecksums(root);
  noteChecksums(problems, sums);
  const compiler = new DumpCompiler(root);
  let dump: DumpDirectory;
  try {
    dump = await readDumpDirectory(root);
  } catch (error) {
    if (!(error instanceof GenDumpError)) throw error;
    await reportUnloadable(problems, compiler, root, error);
    return report(root, problems, compiler, 0, 0, started);
  }
  const edited = new Set([...sums.edited, ...sums.added]);
  const compileAll = options.compileAll === true || SHARED_FILES.some((f) => edited.has(f));
  for (const file of SMALL_FILES) {
    if (!existsSync(join(root, file))) continue;
    if (compileAll || !sums.manifest || edited.has(file)) await compileSmallFile(problems, compiler, file);
  }
  const rows = await checkRows(dump, { root, problems, compiler, compile: compileAll });
  return report(root, problems, compiler, dump.schema.tables.length, rows, started);
}

async function checkRows(dump: DumpDirectory, context: { root: string; problems: ProblemCollector; compiler: DumpCompiler; compile: boolean }): Promise<number> {
  const unread = new Set(dump.dump.failedTables);
  const filesOf = new Map<string, string[]>();
  for (const m of dump.dump.modules) {
    const files = filesOf.get(m.table);
    if (files) files.push(m.file);
    else filesOf.set(m.table, [m.file]);
  }
  const incomplete = new Map<string, string>();
  for (const table of dump.schema.tables) {
    const name = displayName(table);
    if (unread.has(name)) incomplete.set(table.key, `${name} could not be read when the dump was taken`);
    const missing = filesOf.get(table.key)?.find((file) => !existsSync(join(context.root, file)));
    if (missing) incomplete.set(table.key, `${missing}, rows of ${name}, is missing`);
  }
  const keys = new KeyIndex(dump.schema, incomplete);
  for (const table of unread) {
    context.problems.note(problem("skipped", `Table ${table} could not be read when the dump was taken: the dump has none of its rows.`, { table }));
  }
  const byKey = new Map(dump.schema.tables.map((t) => [t.key, t]));
  for (const table of dump.schema.tables) if (!filesOf.has(table.key)) keys.endTable(table.key);
  const locators = new Map<string, RowLocator>();
  const scan = { ...context, keys };
  let rows = 0;
  for (const [key, files] of filesOf) {
    const table = byKey.get(key);
    if (table === undefined) {
      context.problems.add(problem("format", `restore.ts lists modules of table ${JSON.stringify(key)}, which schema.ts does not describe.`, { file: "restore.ts", table: key }));
      continue;
    }
    for (const file of files) rows += await scanFile(scan, table, file, locators);
    keys.endTable(key);
  }
  const late = keys.finish();
  for (const skipped of keys.skipped) {
    context.problems.note(problem("skipped", skipped.message, { table: displayName(skipped.table) }));
  }
  for (const file of new Set(late.map((f) => f.file))) {
    await reportFindings(context, late.filter((f) => f.file === file), locators.get(file)!, (other) => locators.get(other));
  }
  return rows;
}

async function scanFile(context: Parameters<typeof scanModule>[0], table: TableSchema, file: string, locators: Map<string, RowLocator>): Promise<number> {
  if (!existsSync(join(context.root, file))) {
    context.problems.add(problem("missing-file", `${file} is listed in restore.ts but is missing: the rows of table ${displayName(table)} in it are lost.`, { file, table: displayName(table) }));
    return 0;
  }
  const scanned = await scanModule(context, table, file, (other) => locators.get(other));
  locators.set(file, scanned.locate);
  return scanned.rows;
}

function noteChecksums(problems: ProblemCollector, sums: ChecksumStatus): void {
  if (!sums.manifest) {
    problems.note(problem("skipped", `The dump has no ${CHECKSUM_FILE}: cannot tell which files were edited since the dump.`));
    return;
  }
  for (const file of sums.edited) problems.note(problem("edited", "edited since the dump (its checksum differs from checksums.sha256).", { file }));
  for (const file of sums.added) problems.note(problem("extra-file", "not part of the dump (checksums.sha256 does not list it).", { file }));
  for (const file of sums.missing) problems.note(problem("missing-file", "listed in checksums.sha256 but missing.", { file }));
}

async function compileSmallFile(problems: ProblemCollector, compiler: DumpCompiler, file: string): Promise<void> {
  const compiled = await compiler.check(file);
  for (const f of compiled.findings) problems.add(problem("type", f.message, { file, line: f.line, col: f.col }));
  compiled.release();
}

/** restore.ts or schema.ts does not load: let the compiler say where, if it can. */
async function reportUnloadable(problems: ProblemCollector, compiler: DumpCompiler, root: string, error: GenDumpError): Promise<void> {
  const before = problems.errors.length;
  for (const file of ["restore.ts", "schema.ts"]) {
    if (!existsSync(join(root, file))) continue;
    const compiled = await compiler.check(file);
    for (const f of compiled.findings) problems.add(problem("syntax", f.message, { file, line: f.line, col: f.col }));
  }
  if (problems.errors.length === before) problems.add(problem("format", error.message, { file: "restore.ts" }));
}

function report(root: string, problems: ProblemCollector, compiler: DumpCompiler, tables: number, rows: number, started: number): CheckReport {
  problems.finish();
  return {
    dir: root,
    errors: problems.errors,
    notes: problems.notes,
    tables,
    rows,
    compiled: [...compiler.files],
    seconds: (performance.now() - started) / 1000,
  };
}
