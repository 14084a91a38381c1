import fc from "fast-check";
import { IndentationText, NewLineKind, Project, QuoteKind, ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { dataModuleFrame } from "../../src/emitter/data-module-emitter.ts";
import { type DumpManifest, emitRestoreModule } from "../../src/emitter/restore-module-emitter.ts";
import { emitSchemaModule, rowTupleType } from "../../src/emitter/schema-module-emitter.ts";
import { fillConstant, fillInterface, readTemplate } from "../../src/emitter/template-files.ts";
import { encodeJsonLike, encodeString } from "../../src/encoding/literal-encoder.ts";
import { GenDumpError } from "../../src/errors.ts";
import type { ColumnSchema, DatabaseSchema, TableSchema } from "../../src/model/schema-model.ts";
import { KINDS, NASTY_PIECES, stringArb } from "../support/value-arbitraries.ts";

/**
 * Identifiers (table keys and names, column names, file names, the database name, the
 * application version) reach schema.ts, restore.ts and every data module's header. Whatever
 * they hold, the generated file must have exactly the template's statements (nothing
 * injected), parse without error, and give back the identifiers unchanged.
 */

/** Names built to escape a string literal, a comment, a template or a tuple label. */
const identArb = fc.oneof(
  stringArb,
  fc.constantFrom("", "__proto__", "constructor", "default", "import", "$&", "$'", "`${x}`", '"]); process.exit(1); //', "*/ x /*", "a\u2028b", "\ud800", "typeof", "0", "1e3"),
  fc.array(fc.constantFrom(...NASTY_PIECES, "a", "]", ")", ";", ":", "|"), { minLength: 1, maxLength: 8 }).map((p) => p.join("")),
);

function column(name: string, kind: (typeof KINDS)[number], nullable: boolean): ColumnSchema {
  return { name, declaredType: name, type: { name: "any", native: name }, kind, nullable, default: name, collation: null, generated: null, identity: null, comment: name };
}

function table(key: string, name: string, columns: readonly ColumnSchema[]): TableSchema {
  return {
    key, schema: null, name, columns, rowidColumn: null, primaryKey: null, uniques: [], foreignKeys: [], checks: [{ name, expression: name }],
    indexes: [], orderBy: columns.map((c) => c.name), rowCount: 0, dataDumped: true, comment: name, options: { note: name }, native: { create: [name], after: [] },
  };
}

const columnsArb = fc.uniqueArray(fc.record({ name: identArb, kind: fc.constantFrom(...KINDS), nullable: fc.boolean() }), { selector: (c) => c.name, maxLength: 5 })
  .map((cols) => cols.map((c) => column(c.name, c.kind, c.nullable)));
const tablesArb = fc.uniqueArray(fc.record({ key: identArb, name: identArb, columns: columnsArb }), { selector: (t) => t.key, maxLength: 5 })
  .map((ts) => ts.map((t) => table(t.key, t.name, t.columns)));

function schemaOf(tables: readonly TableSchema[]): DatabaseSchema {
  return { engine: "sqlite", tables, objects: [], types: [], sequences: [], schemas: [], settings: { user_version: 0 } };
}

function parse(text: string): ts.SourceFile {
  const transpiled = ts.transpileModule(text, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } });
  expect(transpiled.diagnostics?.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")) ?? []).toEqual([]);
  return ts.createSourceFile("generated.ts", text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

/** The kinds of the top-level statements: what an injection would change. */
function shape(file: ts.SourceFile): string[] {
  return file.statements.map((s) => ts.SyntaxKind[s.kind]);
}

/** Evaluate an initializer the emitter wrote from data (a literal, no calls). */
function evaluateInitializer(file: ts.SourceFile, name: string): unknown {
  let found: ts.Expression | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && node.name.getText(file) === name) found = node.initializer;
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (found === undefined) throw new Error(`no ${name}`);
  const js = ts.transpileModule(`export default (${found.getText(file)});`, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
  const module = { exports: {} as { default?: unknown } };
  new Function("module", "exports", js)(module, module.exports);
  return module.exports.default;
}

/**
 * What the emitters wrote while they filled the templates with ts-morph (until gen-dump
 * 0.1.0's fifth session): the reference the plain-text filling must match byte for byte,
 * so that dumps made before and after diff as equal.
 */
const project = new Project({
  useInMemoryFileSystem: true,
  skipLoadingLibFiles: true,
  manipulationSettings: {
    indentationText: IndentationText.TwoSpaces,
    newLineKind: NewLineKind.LineFeed,
    quoteKind: QuoteKind.Double,
    useTrailingCommas: true,
    insertSpaceAfterOpeningAndBeforeClosingNonemptyBraces: true,
  },
});

function tsMorphRestore(manifest: DumpManifest): string {
  const file = project.createSourceFile("/restore.ts", readTemplate("restore.ts"), { overwrite: true });
  file.getVariableDeclarationOrThrow("dump").setInitializer(encodeJsonLike(manifest));
  return file.getFullText();
}

function tsMorphSchema(schema: DatabaseSchema): string {
  const file = project.createSourceFile("/schema.ts", readTemplate("schema.ts"), { overwrite: true });
  file.getVariableDeclarationOrThrow("schema").setInitializer(encodeJsonLike(schema));
  const tables = file.getInterfaceOrThrow("Tables");
  for (const member of tables.getMembers()) member.remove();
  tables.addProperties(schema.tables.map((t) => ({ name: encodeString(t.key), type: rowTupleType(t) })));
  return file.getFullText();
}

const manifestArb = fc.record({
  genDumpVersion: identArb,
  formatVersion: fc.constant(1),
  source: fc.record({ engine: identArb, database: identArb, serverVersion: identArb }),
  appVersion: identArb,
  failedTables: fc.array(identArb, { maxLength: 3 }),
  modules: fc.array(fc.record({ file: identArb, table: identArb, rows: fc.nat() }), { maxLength: 4 }),
});

describe("templates filled as text, as ts-morph filled them", () => {
  it("restore.ts and schema.ts are byte for byte what ts-morph wrote, but for text holding a backtick", () => {
    // NOTE: ts-morph re-indented a literal's lines with a scanner that could lose track of
    // strings (`["\\", "`"]` on one line: a string ending in an escaped backslash, then
    // one holding a backtick), took the backtick for a template literal and left the lines
    // after it as they were; the text filling indents every line alike.
    const backtick = (value: unknown) => JSON.stringify(value, (_, v) => (typeof v === "bigint" ? String(v) : v)).includes("`");
    fc.assert(
      fc.property(manifestArb, tablesArb, (manifest: DumpManifest, tables) => {
        if (!backtick(manifest)) expect(emitRestoreModule(manifest)).toBe(tsMorphRestore(manifest));
        if (!backtick(tables)) expect(emitSchemaModule(schemaOf(tables))).toBe(tsMorphSchema(schemaOf(tables)));
      }),
      { numRuns: 400 },
    );
    const quirk = { genDumpVersion: "1", formatVersion: 1, source: { engine: "sqlite", database: "d", serverVersion: "3" }, appVersion: "", failedTables: ["\\", "`\""], modules: [{ file: "f", table: "t", rows: 1 }] };
    expect(tsMorphRestore(quirk)).not.toBe(emitRestoreModule(quirk));
    expect(emitRestoreModule(quirk)).toContain('\n          file: "f",\n');
  });

  it("keeps `$&` and friends in values as they are, and refuses a template without its marker", () => {
    const values = { a: "$&", b: "$'", c: "$`", d: "$1", e: "$$" };
    expect(fillConstant("export const x = {};\n", "x", encodeJsonLike(values))).toBe(`export const x = ${encodeJsonLike(values).split("\n").join("\n    ")};\n`);
    expect(fillInterface("export interface T {\n}\n", "T", [{ name: '"$&"', type: "[]" }])).toBe('export interface T {\n  "$&": [];\n}\n');
    expect(() => fillConstant("export const y = {};", "x", "{}")).toThrow(GenDumpError);
    expect(() => fillConstant("export const x = {};export const x = {};", "x", "{}")).toThrow(/exactly once/);
    expect(() => fillInterface("export interface T {\n  a: 1;\n", "T", [])).toThrow(/no end/);
  });

  it("refuses, naming the cause, what no JSON-like literal can hold", () => {
    const broken = { genDumpVersion: "1", formatVersion: 1, source: { engine: "sqlite", database: "d", serverVersion: "3" }, appVersion: 12n, failedTables: [], modules: [] } as unknown as DumpManifest;
    expect(() => emitRestoreModule(broken)).toThrow(/Cannot write bigint/);
  });
});

describe("identifiers in generated modules", () => {
  const emptySchemaShape = shape(parse(emitSchemaModule(schemaOf([]))));

  it("schema.ts: template statements only, one Tables member per key, schema data round-trips", () => {
    fc.assert(
      fc.property(tablesArb, (tables) => {
        const schema = schemaOf(tables);
        const file = parse(emitSchemaModule(schema));
        expect(shape(file)).toEqual(emptySchemaShape);
        const tablesInterface = file.statements.find(ts.isInterfaceDeclaration)!;
        const members = tablesInterface.members.filter(ts.isPropertySignature);
        expect(members.map((m) => (ts.isStringLiteral(m.name) ? m.name.text : null))).toEqual(tables.map((t) => t.key));
        members.forEach((m, i) => {
          expect(m.type && ts.isTupleTypeNode(m.type) ? m.type.elements.length : -1).toBe(tables[i]!.columns.length);
        });
        expect(evaluateInitializer(file, "schema")).toEqual(schema);
      }),
      { numRuns: 80 },
    );
  });

  it("restore.ts: template statements only, and the manifest round-trips", () => {
    const plain = shape(parse(emitRestoreModule({ genDumpVersion: "1", formatVersion: 1, source: { engine: "sqlite", database: "d", serverVersion: "3" }, appVersion: "", failedTables: [], modules: [] })));
    fc.assert(
      fc.property(manifestArb, (manifest: DumpManifest) => {
        const file = parse(emitRestoreModule(manifest));
        expect(shape(file)).toEqual(plain);
        expect(evaluateInitializer(file, "dump")).toEqual(manifest);
        expect(evaluateInitializer(file, "transforms")).toEqual([]);
      }),
      { numRuns: 80 },
    );
  });

  it("data modules: the header names the table key and the columns exactly, and nothing else runs", () => {
    const plainFrame = dataModuleFrame(table("t", "t", []), []);
    const plain = shape(parse(plainFrame.prefix + plainFrame.suffix));
    fc.assert(
      fc.property(identArb, fc.uniqueArray(identArb, { maxLength: 6 }), (key, columns) => {
        const frame = dataModuleFrame(table(key, key, []), columns);
        const file = parse(`${frame.prefix}${frame.suffix}`);
        expect(shape(file)).toEqual(plain);
        expect(frame.prefix.split("\n").length).toBe(frame.firstRowLine);
        const exported = file.statements.find(ts.isExportAssignment)!.expression;
        if (!ts.isCallExpression(exported)) throw new Error("default export is not a call");
        const [keyArg, columnsArg, rowsArg] = exported.arguments;
        expect(keyArg && ts.isStringLiteral(keyArg) ? keyArg.text : null).toBe(key);
        expect(columnsArg && ts.isArrayLiteralExpression(columnsArg) ? columnsArg.elements.map((e) => (ts.isStringLiteral(e) ? e.text : null)) : null).toEqual(columns);
        expect(rowsArg && ts.isArrayLiteralExpression(rowsArg) ? rowsArg.elements.length : -1).toBe(0);
        const typeArg = exported.typeArguments?.[0];
        const index = typeArg && ts.isIndexedAccessTypeNode(typeArg) ? typeArg.indexType : undefined;
        expect(index && ts.isLiteralTypeNode(index) && ts.isStringLiteral(index.literal) ? index.literal.text : null).toBe(key);
      }),
      { numRuns: 500 },
    );
  });
});
