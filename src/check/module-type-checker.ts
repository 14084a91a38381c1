import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ArrayLiteralExpression, Diagnostic, Project, SourceFile } from "ts-morph";
import { readTemplate } from "../emitter/template-files.ts";

/**
 * The TypeScript compiler over a dump directory, through ts-morph, with the dump's own
 * tsconfig.json: the authority on what a module means. `check` runs it on the files the
 * literal fast path cannot vouch for (syntax errors, expressions, edited schema.ts), one
 * file at a time so that memory stays that of one module. ts-morph (and TypeScript with
 * it, a second and 100 MB) loads only when a file needs compiling.
 */

type TsMorph = typeof import("ts-morph");

/** A compiler diagnostic, located in the row grid when it falls inside a row. */
export interface CompilerFinding {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly message: string;
  /** 0-based index of the row in the module's rows, when inside one. */
  readonly row: number | null;
  /** 0-based index of the value in the row, when inside one. */
  readonly element: number | null;
  /** Column names the module's header declares (empty when it cannot be read). */
  readonly columns: readonly string[];
}

export interface CompiledFile {
  readonly findings: readonly CompilerFinding[];
  /** Line and column of a value of a row, from the syntax tree (for rows the reader could not read). */
  position(row: number, element: number): { line: number; col: number } | null;
  /** Forget the file (free its syntax tree). */
  release(): void;
}

export class DumpCompiler {
  private morph: TsMorph | undefined;
  private project: Project | undefined;
  private readonly compiled: string[] = [];

  constructor(private readonly dir: string) {}

  /** Files compiled so far, relative to the dump directory. */
  get files(): readonly string[] {
    return this.compiled;
  }

  /** Type-check one file of the dump (path relative to the dump directory). */
  async check(file: string): Promise<CompiledFile> {
    this.morph ??= await import("ts-morph");
    const { Node } = this.morph;
    const project = this.open(this.morph);
    const path = join(this.dir, file);
    const sourceFile = project.addSourceFileAtPath(path);
    this.compiled.push(file);
    const rows = rowsArray(this.morph, sourceFile);
    const columns = rows ? headerColumns(this.morph, rows) : [];
    const findings = sourceFile.getPreEmitDiagnostics().map((d) => locate(this.morph!, d, file, sourceFile, rows, columns));
    return {
      findings,
      position: (row, element) => {
        const node = rows?.getElements()[row];
        const value = node && Node.isArrayLiteralExpression(node) ? node.getElements()[element] : node;
        if (!value) return null;
        const at = sourceFile.getLineAndColumnAtPos(value.getStart());
        return { line: at.line, col: at.column };
      },
      release: () => project.removeSourceFile(sourceFile),
    };
  }

  private open({ Project, ts }: TsMorph): Project {
    if (this.project) return this.project;
    const tsconfig = join(this.dir, "tsconfig.json");
    try {
      if (existsSync(tsconfig)) {
        this.project = new Project({ tsConfigFilePath: tsconfig, skipAddingFilesFromTsConfig: true });
      }
    } catch {
      // An edited tsconfig.json that does not parse: fall back to the one gen-dump writes.
    }
    this.project ??= new Project({
      compilerOptions: ts.convertCompilerOptionsFromJson(
        (JSON.parse(readTemplate("tsconfig.dump.json")) as { compilerOptions: unknown }).compilerOptions,
        this.dir,
      ).options,
    });
    for (const helper of ["schema.ts", "dump-helpers.ts"]) {
      if (existsSync(join(this.dir, helper))) this.project.addSourceFileAtPath(join(this.dir, helper));
    }
    return this.project;
  }
}

/** The third argument of `export default rows(key, columns, [...])`, if the module has that shape. */
function rowsArray({ Node }: TsMorph, sourceFile: SourceFile): ArrayLiteralExpression | undefined {
  const exported = sourceFile.getExportAssignment((e) => !e.isExportEquals())?.getExpression();
  if (!exported || !Node.isCallExpression(exported)) return undefined;
  const rows = exported.getArguments()[2];
  return rows && Node.isArrayLiteralExpression(rows) ? rows : undefined;
}

function headerColumns({ Node }: TsMorph, rows: ArrayLiteralExpression): string[] {
  const call = rows.getParent();
  const list = Node.isCallExpression(call) ? call.getArguments()[1] : undefined;
  if (!list || !Node.isArrayLiteralExpression(list)) return [];
  return list.getElements().map((e) => (Node.isStringLiteral(e) || Node.isNoSubstitutionTemplateLiteral(e) ? e.getLiteralValue() : ""));
}

function locate(
  { Node, ts }: TsMorph,
  diagnostic: Diagnostic,
  file: string,
  sourceFile: SourceFile,
  rows: ArrayLiteralExpression | undefined,
  columns: readonly string[],
): CompilerFinding {
  const start = diagnostic.getStart() ?? 0;
  const at = sourceFile.getLineAndColumnAtPos(start);
  const message = ts.flattenDiagnosticMessageText(diagnostic.compilerObject.messageText, " ");
  let row: number | null = null;
  let element: number | null = null;
  if (rows && start >= rows.getStart() && start < rows.getEnd()) {
    // Walk up from the node at the position to the row literal, noting which value it is in.
    let node: import("ts-morph").Node | undefined = sourceFile.getDescendantAtPos(start);
    while (node && node !== rows) {
      const parent: import("ts-morph").Node | undefined = node.getParent();
      if (parent === rows) row = rows.getElements().findIndex((e) => e === node);
      else if (parent && parent.getParent() === rows && Node.isArrayLiteralExpression(parent)) element = parent.getElements().findIndex((e) => e === node);
      node = parent;
    }
    if (row !== null && row < 0) row = null;
    if (element !== null && element < 0) element = null;
  }
  return { file, line: at.line, col: at.column, message, row, element, columns };
}
