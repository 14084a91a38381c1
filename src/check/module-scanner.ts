import { join } from "node:path";
import { LiteralSyntaxError, readDataModule } from "../encoding/literal-reader.ts";
import { GenDumpError } from "../errors.ts";
import { type TableSchema, dataColumns, displayName } from "../model/schema-model.ts";
import type { DumpRow, ValueKind } from "../model/values.ts";
import { loadDataModule } from "../restore/module-loader.ts";
import { problem } from "./check-report.ts";
import type { KeyIndex, ModuleKeys, RowFinding } from "./key-index.ts";
import { acceptsForm, mayBeRefused, refusedMessage } from "./literal-types.ts";
import type { CompiledFile, DumpCompiler } from "./module-type-checker.ts";
import type { ProblemCollector } from "./problem-collector.ts";
import { findRowLines, rowElements } from "./row-positions.ts";

/** Where values of a module are: `row:element` → line and column (1-based). */
export type RowLocator = (wanted: readonly { row: number; element: number }[]) => Promise<Map<string, { line: number; col: number }>>;

export interface ScanContext {
  readonly root: string;
  readonly keys: KeyIndex;
  readonly compiler: DumpCompiler;
  readonly problems: ProblemCollector;
  /** Run the compiler on the module even when the fast path reads it cleanly. */
  readonly compile: boolean;
}

interface Suspect {
  readonly row: number;
  readonly element: number;
}

/**
 * Check one data module: read it with the fast literal reader (values, nulls, keys);
 * look again at the few literals whose form the column type may refuse; hand the module
 * to the compiler when the reader cannot read it, or when asked to. Returns how to find
 * its rows again, for foreign-key findings made later.
 */
export async function scanModule(
  context: ScanContext,
  table: TableSchema,
  file: string,
  locatorOf: (file: string) => RowLocator | undefined,
): Promise<{ rows: number; locate: RowLocator }> {
  const name = displayName(table);
  const read = new FastRead(context, table, file);
  let locate = lineLocator(join(context.root, file));
  try {
    await read.run();
  } catch (error) {
    if (!(error instanceof GenDumpError) || error.code !== "DUMP_FORMAT" || error instanceof LiteralSyntaxError) throw error;
    context.problems.add(problem("format", error.message, { file, line: error.context.line, col: error.context.col, table: name }));
    context.keys.markIncomplete(table.key, `${file}, rows of ${name}, could not be read`);
    return { rows: read.rows, locate };
  }
  const dataCols = dataColumns(table);
  const sameOrder = read.header.length === dataCols.length && read.header.every((c, i) => c === dataCols[i]);
  const compiled = read.syntax !== undefined || !sameOrder || context.compile ? await context.compiler.check(file) : undefined;
  if (compiled) reportCompiler(context, table, compiled, read.header);
  let rows = read.rows;
  if (read.syntax === undefined) {
    compiled?.release();
    if (compiled === undefined || compiled.findings.length === 0) await reportSuspects(context, table, file, read);
  } else if (compiled!.findings.length === 0) {
    // TypeScript, but more than literals (an expression, a row over several lines): import it.
    rows = await importRest(context, table, file, read);
    locate = treeLocator(compiled!);
  } else {
    compiled!.release();
    context.keys.markIncomplete(table.key, `rows of ${name} after ${file}:${read.syntax.line} could not be read`);
    context.problems.note(problem("skipped", `Rows after line ${read.syntax.line} were not checked for keys: fix the errors above and run check again.`, { file, table: name }));
  }
  await reportFindings(context, read.findings, locate, locatorOf);
  return { rows, locate };
}

/** The fast pass over a module: literal reader, nulls, suspicious literals, keys. */
class FastRead {
  header: readonly string[] = [];
  kinds: readonly ValueKind[] = [];
  module: ModuleKeys | undefined;
  rows = 0;
  /** Where the literal reader stopped, if it did. */
  syntax: LiteralSyntaxError | undefined;
  readonly suspects: Suspect[] = [];
  readonly findings: RowFinding[] = [];

  constructor(
    private readonly context: ScanContext,
    private readonly table: TableSchema,
    private readonly file: string,
  ) {}

  async run(): Promise<void> {
    const { table, file, context } = this;
    const kindsFor = (key: string, columns: readonly string[]) => {
      checkHeader(table, file, key, columns);
      this.header = [...columns];
      this.kinds = columns.map((c) => kindOf(table, c));
      this.module = context.keys.beginModule(table.key, file, this.header, this.kinds);
      return this.kinds;
    };
    let allowsNull: boolean[] | undefined;
    try {
      for await (const batch of readDataModule(join(context.root, file), kindsFor, { checkKinds: false })) {
        allowsNull ??= this.header.map((c) => nullable(table, c));
        for (const row of batch.rows) {
          collectSuspects(row, this.rows, this.kinds, allowsNull, this.suspects);
          context.keys.row(this.module!, row, this.rows, this.findings);
          this.rows++;
        }
      }
    } catch (error) {
      if (!(error instanceof LiteralSyntaxError)) throw error;
      this.syntax = error;
    }
  }
}

function nullable(table: TableSchema, column: string): boolean {
  return column !== table.rowidColumn && table.columns.find((c) => c.name === column)?.nullable !== false;
}

function checkHeader(table: TableSchema, file: string, key: string, columns: readonly string[]): void {
  if (key !== table.key) {
    throw new GenDumpError("DUMP_FORMAT", `The module holds rows of table ${JSON.stringify(key)}, but restore.ts lists it for ${JSON.stringify(table.key)}.`, { file });
  }
  const known = new Set(dataColumns(table));
  const unknown = columns.filter((c) => !known.has(c));
  if (unknown.length > 0) {
    throw new GenDumpError("DUMP_FORMAT", `Column ${JSON.stringify(unknown[0])} is not a column of table ${displayName(table)} in schema.ts.`, { file });
  }
}

function kindOf(table: TableSchema, column: string): ValueKind {
  if (column === table.rowidColumn) return "integer";
  return table.columns.find((c) => c.name === column)?.kind ?? "any";
}

function collectSuspects(row: DumpRow, index: number, kinds: readonly ValueKind[], allowsNull: readonly boolean[], out: Suspect[]): void {
  for (let i = 0; i < row.length; i++) {
    const v = row[i]!;
    if (v === null ? !allowsNull[i] : mayBeRefused(v, kinds[i]!)) out.push({ row: index, element: i });
  }
}

/** Look at the literals the fast path could not vouch for, and report those the type refuses. */
async function reportSuspects(context: ScanContext, table: TableSchema, file: string, read: FastRead): Promise<void> {
  if (read.suspects.length === 0) return;
  const lines = await findRowLines(join(context.root, file), new Set(read.suspects.map((s) => s.row)));
  for (const { row, element } of read.suspects) {
    const found = lines.get(row);
    const value = found && rowElements(found.text)[element];
    if (!found || !value) continue;
    const column = read.header[element]!;
    const kind = read.kinds[element]!;
    const allowsNull = nullable(table, column);
    if (acceptsForm(kind, allowsNull, value.form)) continue;
    if (!context.problems.admit(displayName(table), "type")) continue;
    const message = `${refusedMessage(value.form, kind, allowsNull)} The value is ${found.text.slice(value.start, value.end)}.`;
    context.problems.error(problem("type", message, { file, line: found.line, col: value.start + 1, table: displayName(table), column }));
  }
}

function reportCompiler(context: ScanContext, table: TableSchema, compiled: CompiledFile, header: readonly string[]): void {
  for (const f of compiled.findings) {
    const columns = f.columns.length > 0 ? f.columns : header;
    const column = f.element === null ? null : (columns[f.element] ?? null);
    const code = /expected|unterminated|invalid character|declaration or statement/i.test(f.message) ? "syntax" : "type";
    context.problems.add(problem(code, f.message, { file: f.file, line: f.line, col: f.col, table: displayName(table), column }));
  }
}

/** Rows of a module that is TypeScript but not plain literals: import it, as restore does. */
async function importRest(context: ScanContext, table: TableSchema, file: string, read: FastRead): Promise<number> {
  let index = 0;
  let module = read.module;
  try {
    for await (const batch of loadDataModule(context.root, file, table)) {
      module ??= context.keys.beginModule(table.key, file, batch.columns, batch.columns.map((c) => kindOf(table, c)));
      for (const row of batch.rows) {
        if (index >= read.rows) context.keys.row(module, row, index, read.findings);
        index++;
      }
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const syntax = read.syntax!;
    context.keys.markIncomplete(table.key, `${file}, rows of ${displayName(table)}, could not be read`);
    context.problems.add(problem("syntax", `${syntax.reason}; importing the module fails too: ${reason}`, { file, line: syntax.line, col: syntax.col, table: displayName(table) }));
  }
  return index;
}

/** Report key findings with their line and column (and the earlier row's, for duplicates). */
export async function reportFindings(
  context: Pick<ScanContext, "problems">,
  findings: readonly RowFinding[],
  locate: RowLocator,
  locatorOf: (file: string) => RowLocator | undefined = () => undefined,
): Promise<void> {
  const listed = findings.filter((f) => context.problems.admit(displayName(f.table), f.code));
  if (listed.length === 0) return;
  const positions = await locate(listed.map((f) => ({ row: f.row, element: elementOf(f, f) })));
  for (const f of listed) {
    const at = positions.get(`${f.row}:${elementOf(f, f)}`);
    let message = f.message;
    if (f.earlier) {
      const other = f.earlier;
      const where = other.file === f.file ? locate : locatorOf(other.file);
      const found = (await where?.([{ row: other.row, element: elementOf(f, other) }]))?.get(`${other.row}:${elementOf(f, other)}`);
      message += found ? ` (${other.file}:${found.line}).` : ` (row ${other.row + 1} of ${other.file}).`;
    }
    context.problems.error(problem(f.code, message, { file: f.file, line: at?.line, col: at?.col, table: displayName(f.table), column: f.column }));
  }
}

function elementOf(finding: RowFinding, place: { readonly columns: readonly string[] }): number {
  return Math.max(0, place.columns.indexOf(finding.column));
}

function lineLocator(path: string): RowLocator {
  return async (wanted) => {
    const lines = await findRowLines(path, new Set(wanted.map((w) => w.row)));
    const out = new Map<string, { line: number; col: number }>();
    for (const { row, element } of wanted) {
      const found = lines.get(row);
      if (!found) continue;
      const value = rowElements(found.text)[element];
      out.set(`${row}:${element}`, { line: found.line, col: (value?.start ?? 0) + 1 });
    }
    return out;
  };
}

function treeLocator(compiled: CompiledFile): RowLocator {
  return async (wanted) => {
    const out = new Map<string, { line: number; col: number }>();
    for (const { row, element } of wanted) {
      const at = compiled.position(row, element);
      if (at) out.set(`${row}:${element}`, at);
    }
    return out;
  };
}
