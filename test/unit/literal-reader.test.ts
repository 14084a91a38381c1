import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { ts } from "ts-morph";
import { afterAll, describe, expect, it } from "vitest";
import { encodeRow } from "../../src/encoding/literal-encoder.ts";
import { type DataModuleBatch, LiteralKindError, LiteralSyntaxError, parseRowLine, readDataModule } from "../../src/encoding/literal-reader.ts";
import { GenDumpError } from "../../src/errors.ts";
import { type DumpValue, RawText, type ValueKind } from "../../src/model/values.ts";
import { evaluateRowLine, sameRow } from "../support/value-arbitraries.ts";

const dir = mkdtempSync(join(tmpdir(), "gen-dump-reader-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const any = (n: number): ValueKind[] => Array<ValueKind>(n).fill("any");

/** The error parseRowLine throws for `line`, or fails the test. */
function rejection(line: string, kinds: readonly ValueKind[], lineNo = 7): LiteralSyntaxError {
  try {
    parseRowLine(line, kinds, lineNo);
  } catch (error) {
    expect(error).toBeInstanceOf(LiteralSyntaxError);
    return error as LiteralSyntaxError;
  }
  throw new Error(`accepted: ${line}`);
}

describe("parseRowLine: what a person may type", () => {
  const accepted: [string, ValueKind[], DumpValue[]][] = [
    ["[1, 2],", ["integer", "real"], [1n, 2]],
    ["  [ 1 ,2 , ]   ", ["integer", "integer"], [1n, 2n]],
    ["[1,2] // the answer, or not */", ["any", "any"], [1n, 2n]],
    ["\t[1]\t,\t//", ["integer"], [1n]],
    ["[]", [], []],
    ["['single', \"double\", `backtick`]", ["text", "text", "text"], ["single", "double", "backtick"]],
    [String.raw`["\n\t\r\b\f\v\0\x41\u0042\u{1F600}\u{0000041}\'\"\\\/\a"]`, ["text"], ["\n\t\r\b\f\v\0AB😀A'\"\\/a"]],
    [String.raw`['it\'s', "\0x"]`, ["text", "text"], ["it's", "\0x"]],
    ["[\"raw \u2028 and \u2029 are fine in strings\"]", ["text"], ["raw \u2028 and \u2029 are fine in strings"]],
    ["[.5, 5., 1e3, 1E-3, 0x1F, 0X1f, 0o17, 0b101, 1_000]", any(9), [0.5, 5n, 1000n, 0.001, 31n, 31n, 15n, 5n, 1000n]],
    ["[1.0, 2.5e0, -0, +7, - 3]", ["real", "real", "real", "integer", "integer"], [1, 2.5, -0, 7n, -3n]],
    ["[NaN, Infinity, -Infinity, +Infinity, -NaN]", ["real", "any", "real", "real", "real"], [NaN, Infinity, -Infinity, Infinity, NaN]],
    ["[12n, -12n, 0x1Fn, 0n, 1_0n]", ["integer", "any", "integer", "any", "integer"], [12n, -12n, 31n, 0n, 10n]],
    ["[12, 12.5, 1e21, 9007199254740993]", ["integer", "any", "integer", "integer"], [12n, 12.5, 10n ** 21n, 9007199254740992n]],
    ["[null, true, false]", ["integer", "boolean", "any"], [null, true, false]],
    ['[int(5), int(-5n), int(1e3), real(3), real(-0), real(NaN), text("x"), bool(false)]', any(8), [5n, -5n, 1000n, 3, -0, NaN, "x", false]],
    ["[int( 5 , ), real (2.5)]", ["any", "any"], [5n, 2.5]],
    ['[blob("AAEC"), blob(\'\'), rawText("/w==")]', ["blob", "blob", "text"], [new Uint8Array([0, 1, 2]), new Uint8Array(0), new RawText(new Uint8Array([255]))]],
    ["[\"😀\", 'é']", ["text", "text"], ["😀", "é"]],
  ];

  it.each(accepted)("%s", (line, kinds, expected) => {
    const row = parseRowLine(line, kinds, 1);
    expect(sameRow(row, expected), `${String(row)} vs ${String(expected)}`).toBe(true);
    expect(sameRow(evaluateRowLine(line, kinds), expected), "JavaScript agrees").toBe(true);
  });
});

describe("parseRowLine rejects everything else, naming line and column", () => {
  const rejected: [string, string, number, number, RegExp][] = [
    ["identifier", "[1, foo]", 1 + 1, 5, /identifier foo/],
    ["undefined", "[undefined]", 1, 2, /identifier undefined/],
    ["expression", "[1+2]", 1, 3, /expected , or \]/],
    ["call of another function", '[alert("x")]', 1, 2, /identifier alert/],
    ["template literal with ${", "[1, `a${b}`]", 2, 7, /substitution/],
    ["unterminated string", '[1, "abc]', 2, 5, /unterminated string/],
    ["unterminated single-quoted string", "['abc\\']", 1, 2, /unterminated string/],
    ["line continuation", '["abc\\', 1, 2, /unterminated string \(a string must end on its line\)/],
    ["escaped line terminator", '["abc\\\u2028"]', 1, 6, /line continuation/],
    ["too many values", "[1, 2, 3]", 2, 8, /more values than the 2 columns/],
    ["too few values", "[1]", 2, 3, /the row has 1 values; the module names 2 columns/],
    ["bad base64", '[blob("AB=")]', 1, 7, /not standard padded base64/],
    ["base64 with junk", '[blob("AA!C")]', 1, 7, /base64/],
    ["non-canonical base64", '[blob("AB==")]', 1, 7, /base64/],
    ["legacy octal number", "[017]", 1, 2, /leading zero/],
    ["legacy octal escape", '["\\01"]', 1, 3, /octal escape/],
    ["\\8 escape", '["\\8"]', 1, 3, /octal escape/],
    ["bad \\x escape", '["\\x4"]', 1, 3, /malformed escape/],
    ["bad \\u{} escape", '["\\u{110000}"]', 1, 3, /above U\+10FFFF/],
    ["double separator", "[1__0]", 1, 3, /separator/],
    ["separator after the radix prefix", "[0x_1]", 1, 4, /expected digits after the radix prefix/],
    ["hex digits in a decimal", "[1F]", 1, 3, /expected , or \]/],
    ["U+2028 ending a comment", "[1] // c \u2028 [2]", 1, 10, /line terminator inside a comment/],
    ["trailing separator", "[1_]", 1, 3, /separator/],
    ["bigint with a fraction", "[1.5n]", 1, 2, /bigint literal must be an integer/],
    ["unary + on a bigint", "[+1n]", 1, 2, /unary \+/],
    ["int() of a fraction", "[int(1.5)]", 1, 6, /not an integer/],
    ["real() of a bigint", "[real(1n)]", 1, 7, /bigint/],
    ["nested tag", "[int(int(1))]", 1, 6, /int\(\) takes one number/],
    ["tag with two arguments", "[text(\"a\", \"b\")]", 1, 12, /expected \) to close text/],
    ["elision", "[1,,2]", 2, 4, /expected a value/],
    ["missing comma", "[1 2]", 2, 4, /expected , or \]/],
    ["text after the row", "[1], 2", 1, 6, /unexpected text after the row/],
    ["block comment after the row", "[1] /* c */", 1, 5, /unexpected text/],
    ["row over several lines", "[1,", 2, 4, /unterminated row/],
    ["not a row", "1, 2", 2, 1, /expected \[/],
    ["raw CR inside a string", '["a\rb"]', 1, 4, /line break inside a string/],
    ["spread", "[...x]", 1, 2, /expected a number/],
    ["parenthesized", "[(1)]", 1, 2, /expected a value/],
  ];

  it.each(rejected)("%s", (_name, line, columns, col, reason) => {
    const error = rejection(line, any(columns));
    expect(error.message).toMatch(reason);
    expect([error.line, error.col]).toEqual([7, col]);
    expect(error).toBeInstanceOf(GenDumpError);
    expect(error.code).toBe("DUMP_FORMAT");
  });
});

describe("parseRowLine refuses a plain literal of the wrong kind, as tsc over the dump would", () => {
  const wrong: [string, ValueKind[], number, number, RegExp][] = [
    ['[1, "lots"]', ["integer", "integer"], 1, 5, /a string where the column's type expects an integer/],
    ["[12, 3]", ["text", "integer"], 0, 2, /a number where the column's type expects a string/],
    ["[12n]", ["real"], 0, 2, /a bigint where the column's type expects a number/],
    ["[true]", ["integer"], 0, 2, /a boolean .* or bool\(…\)/],
    ["[1, NaN]", ["real", "text"], 1, 5, /a number where/],
    ['["AAE="]', ["blob"], 0, 2, /expects blob\("…base64…"\)/],
  ];
  it.each(wrong)("%s", (line, kinds, column, col, reason) => {
    let error: unknown;
    try {
      parseRowLine(line, kinds, 3);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LiteralKindError);
    const kind = error as LiteralKindError;
    expect([kind.line, kind.col, kind.columnIndex, kind.code]).toEqual([3, col, column, "DUMP_TYPE"]);
    expect(kind.message).toMatch(reason);
  });

  it("accepts the same values through their tags", () => {
    expect(parseRowLine('[text("lots"), real(12), int(12n), bool(true)]', ["integer", "text", "real", "integer"], 1)).toEqual(["lots", 12, 12n, true]);
  });
});

describe("parseRowLine agrees with JavaScript on random token soup", () => {
  const tokens = [
    "0", "1", "9", "0x", "0o", "0b", "F", "_", ".", "e", "E", "n", "-", "+", " ", ",", "'", '"', "`", "\\", "u", "x",
    "{", "}", "$", "NaN", "Infinity", "null", "true", "false", "int(", "real(", "text(", "bool(", "blob(", ")",
    "AAEC", "=", "1e3", "12n", "0.5", "//", "/*", "*/", "a", "\u2028", "\r", "😀", "[", "]",
  ];
  const token = fc.constantFrom(...tokens);
  const soup = fc.oneof(
    fc.array(token, { maxLength: 14 }).map((parts) => `[${parts.join("")}]`),
    // Short soups as the values of a row: many more lines that JavaScript accepts.
    fc.array(fc.array(token, { minLength: 1, maxLength: 4 }), { maxLength: 4 }).map((values) => `[${values.map((v) => v.join("")).join(", ")}]`),
  );

  it("a line the reader accepts runs as JavaScript to the same values", () => {
    fc.assert(
      fc.property(soup, fc.constantFrom<ValueKind>("integer", "real", "any", "text"), (line, kind) => {
        const kinds = Array<ValueKind>(lengthOf(line)).fill(kind);
        let parsed: DumpValue[];
        try {
          parsed = parseRowLine(line, kinds, 1);
        } catch (error) {
          if (error instanceof LiteralSyntaxError) return true; // the import path takes what the reader refuses
          if (error instanceof LiteralKindError) return true; // a type error tsc flags too
          throw error;
        }
        let executed: unknown[];
        try {
          executed = evaluateRowLine(line, kinds);
        } catch {
          return false; // accepted something JavaScript refuses
        }
        return sameRow(parsed, executed);
      }),
      { numRuns: 20000 },
    );
  });
});

describe("parseRowLine reads every numeric and string literal JavaScript reads, and only those", () => {
  const digits = (pattern: RegExp) => fc.stringMatching(pattern);
  const decimal = fc
    .tuple(digits(/^(0|[1-9](_?[0-9]){0,20})?$/), fc.option(digits(/^\.([0-9](_?[0-9]){0,20})?$/)), fc.option(digits(/^[eE][+-]?[0-9]{1,3}$/)), fc.constantFrom("", "", "n"))
    .map(([int, fraction, exponent, suffix]) => int + (fraction ?? "") + (exponent ?? "") + suffix);
  const radix = fc
    .tuple(fc.constantFrom("0x", "0X", "0o", "0O", "0b", "0B"), digits(/^[0-9a-fA-F](_?[0-9a-fA-F]){0,30}$/), fc.constantFrom("", "n"))
    .map((parts) => parts.join(""));
  // Valid forms, and the same forms with one character inserted, to probe the edges.
  const mutate = (text: string) =>
    fc.tuple(fc.nat(text.length), fc.constantFrom("_", "0", "8", ".", "e", "n", "x")).map(([at, ch]) => text.slice(0, at) + ch + text.slice(at));
  const numeric = fc.oneof(decimal, radix, fc.constantFrom("NaN", "Infinity")).chain((n) => fc.oneof(fc.constant(n), mutate(n)));
  const signed = fc.tuple(fc.constantFrom("", "-", "+", "- "), numeric).map(([sign, n]) => sign + n);
  const escape = fc.oneof(
    fc.constantFrom("\\n", "\\0", "\\00", "\\01", "\\7", "\\8", "\\'", '\\"', "\\\\", "\\`", "\\$", "\\a", "\\u", "\\x", "\\u{}", "${", "$", "{"),
    digits(/^\\x[0-9a-fA-F]{0,2}$/),
    digits(/^\\u[0-9a-fA-F]{0,4}$/),
    digits(/^\\u\{[0-9a-fA-F]{0,8}\}?$/),
    fc.string({ unit: "binary", maxLength: 2 }).filter((t) => !/[\n\r]/.test(t)),
  );
  const quoted = fc
    .tuple(fc.constantFrom('"', "'", "`"), fc.array(escape, { maxLength: 6 }))
    .map(([q, parts]) => q + parts.join("") + q);
  // Arguments of the types the tags declare (`int("5")` runs, but is a type error the reader refuses).
  const tagged = fc.oneof(
    fc.tuple(fc.constantFrom("int", "real"), signed).map(([tag, arg]) => `${tag}(${arg})`),
    quoted.map((arg) => `text(${arg})`),
    fc.constantFrom("bool(true)", "bool(false)", "bool( true , )"),
  );

  it("accepts exactly the literals JavaScript runs, with the same values", () => {
    fc.assert(
      fc.property(fc.oneof(signed, quoted, tagged), fc.constantFrom<ValueKind>("integer", "real", "any", "text"), (literal, kind) => {
        const line = `[${literal}]`;
        let executed: unknown[] | undefined;
        let executionError: unknown;
        try {
          executed = evaluateRowLine(line, [kind]);
        } catch (error) {
          executionError = error;
        }
        let parsed: DumpValue[] | undefined;
        try {
          parsed = parseRowLine(line, [kind], 1);
        } catch (error) {
          // A literal of another kind than the column's: valid JavaScript, refused as tsc would.
          // The import path refuses the same literal with the same rule.
          if (error instanceof LiteralKindError) {
            expect((executionError as GenDumpError | undefined)?.code, `kind error on ${line}`).toBe("DUMP_TYPE");
            return;
          }
          if (!(error instanceof LiteralSyntaxError)) throw error;
        }
        if (executed === undefined || parsed === undefined) {
          expect(parsed, `reader accepted what JavaScript refuses: ${line}`).toBeUndefined();
          // Valid JavaScript the reader refuses on purpose: expressions (a mutation can make
          // `1e8+74`, `0xe+6`, or a property access `NaN.e`), `${…}` in a template literal.
          const argument = literal.replace(/^(int|real|text|bool)\((.*)\)$/s, "$2").replace(/^[-+] ?/, "");
          if (tokenCount(argument) === 1) expect(executed, `reader refused valid ${line}`).toBeUndefined();
          return;
        }
        expect(sameRow(parsed, executed), line).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });
});

/** How many tokens TypeScript's scanner sees in `text` (a template with `${` is several). */
function tokenCount(text: string): number {
  const scanner = ts.createScanner(ts.ScriptTarget.ESNext, true, ts.LanguageVariant.Standard, text);
  let count = 0;
  while (scanner.scan() !== ts.SyntaxKind.EndOfFileToken) count++;
  return count;
}

/** How many values JavaScript sees in a row line, or 0 when it does not run. */
function lengthOf(line: string): number {
  try {
    const run = new Function("int", "real", "text", "bool", "blob", "rawText", `"use strict"; return [${line}\n][0];`);
    const value = run(() => 0, () => 0, () => 0, () => 0, () => 0, () => 0) as unknown;
    return Array.isArray(value) ? value.length : 0;
  } catch {
    return 0;
  }
}

describe("readDataModule", () => {
  const header = [
    "// gen-dump data module: one row per line, values in the order of the columns named below.",
    'import { rows, int, real, text, bool, blob, rawText } from "../dump-helpers.ts";',
    'import type { Tables } from "../schema.ts";',
    "",
  ];

  async function readAll(path: string, kinds: readonly ValueKind[], batchSize?: number): Promise<{ batches: DataModuleBatch[]; calls: [string, readonly string[]][] }> {
    const calls: [string, readonly string[]][] = [];
    const batches: DataModuleBatch[] = [];
    for await (const batch of readDataModule(path, (key, columns) => (calls.push([key, columns]), kinds), { batchSize })) batches.push(batch);
    return { batches, calls };
  }

  function write(name: string, lines: readonly string[]): string {
    const path = join(dir, name);
    writeFileSync(path, lines.join("\n"));
    return path;
  }

  it("reads the header, skips comments and blank lines, batches rows with their first line, stops at ]);", async () => {
    const path = write("users.ts", [
      ...header,
      'export default rows<Tables["we]ird>\\"key"]>("we]ird>\\"key", ["id", "na\\u006De"], [',
      "[1, \"alice\"],",
      "",
      "  // a comment a person added",
      "[2, 'bob'] // trailing",
      "[3, text(\"carol\")],",
      "   ",
      "[4, null],",
      "]);",
      "",
      "// The template must type-check on its own: these keep the tag imports used.",
      "void [int, real, text, bool, blob, rawText];",
      "this line is not read",
    ]);
    const { batches, calls } = await readAll(path, ["integer", "text"], 2);
    expect(calls).toEqual([['we]ird>"key', ["id", "name"]]]);
    expect(batches.map((b) => [b.firstLine, b.rows])).toEqual([
      [6, [[1n, "alice"], [2n, "bob"]]],
      [10, [[3n, "carol"], [4n, null]]],
    ]);
    // Each row's own line, past the comment and blank lines between rows.
    expect(batches.map((b) => b.lines)).toEqual([[6, 9], [10, 12]]);
    expect(batches[0]!.table).toBe('we]ird>"key');
    expect(batches[0]!.columns).toEqual(["id", "name"]);
  });

  it("accepts CRLF line ends, a BOM, a header without type argument and no final newline", async () => {
    const path = join(dir, "crlf.ts");
    writeFileSync(path, '\ufeff// c\r\nexport default rows("t", [\'a\'], [ // rows\r\n[1],\r\n])');
    const { batches } = await readAll(path, ["real"]);
    expect(batches).toEqual([{ table: "t", columns: ["a"], rows: [[1]], firstLine: 3, lines: [3] }]);
  });

  it("reads an empty module written on the header line", async () => {
    const { batches, calls } = await readAll(write("empty.ts", [...header, 'export default rows<Tables["e"]>("e", [], []);']), []);
    expect(batches).toEqual([]);
    expect(calls).toEqual([["e", []]]);
  });

  it("names file, line and column of a bad row", async () => {
    const path = write("bad.ts", [...header, 'export default rows("t", ["a", "b"], [', "[1, 2],", "", "[3, oops],", "]);"]);
    const error = await readAll(path, ["any", "any"]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LiteralSyntaxError);
    expect(error).toMatchObject({ line: 8, col: 5, context: { file: path, line: 8, col: 5 } });
  });

  it("rejects a module without rows(...) header, an unclosed module, and text between rows", async () => {
    const noHeader = await readAll(write("nohead.ts", ["const x = 1;", "export default x;"]), []).catch((e: unknown) => e);
    expect(noHeader).toMatchObject({ line: 2, col: 16, message: expect.stringMatching(/export default rows/) });
    const unclosed = await readAll(write("open.ts", ['export default rows("t", ["a"], [', "[1],"]), ["any"]).catch((e: unknown) => e);
    expect(unclosed).toMatchObject({ line: 2, col: 5, message: expect.stringMatching(/ends before/) });
    const junk = await readAll(write("junk.ts", ['export default rows("t", ["a"], [', "[1],", "x = 2;", "]);"]), ["any"]).catch((e: unknown) => e);
    expect(junk).toMatchObject({ line: 3, col: 1, message: expect.stringMatching(/expected a row/) });
    const multiLineHeader = await readAll(write("prettier.ts", ["export default rows(", '  "t",']), ["any"]).catch((e: unknown) => e);
    expect(multiLineHeader).toBeInstanceOf(LiteralSyntaxError);
    // A block comment could hide this export default line from JavaScript: not read here.
    const hidden = await readAll(write("hidden.ts", ["// ok", "/*", 'export default rows("t", ["a"], [', "]);", "*/"]), ["any"]).catch((e: unknown) => e);
    expect(hidden).toMatchObject({ line: 2, col: 1, message: expect.stringMatching(/block comment/) });
    const comment = await readAll(write("comment-ls.ts", ['export default rows("t", ["a"], [', "// a \u2028 [2],", "]);"]), ["any"]).catch((e: unknown) => e);
    expect(comment).toMatchObject({ line: 2, col: 6, message: expect.stringMatching(/line terminator inside a comment/) });
  });

  it("reads two modules interleaved batch by batch (the shared scanner keeps no stale state)", async () => {
    // Escapes in one file only, so that "no backslash ahead" remembered in the other is wrong.
    const value = (tag: string, i: number) => (tag === "a" ? `a\\${i}"` : `${"b".repeat(20 + (i % 7))}${i}`);
    const second = (tag: string, i: number) => (tag === "a" ? `x${"\\".repeat(i % 3)}` : "x");
    const lines = (tag: string) => Array.from({ length: 50 }, (_, i) => encodeRow([value(tag, i), second(tag, i)], ["text", "text"]));
    const a = write("a.ts", ['export default rows("a", ["s", "t"], [', ...lines("a"), "]);"]);
    const b = write("b.ts", ['export default rows("b", ["s", "t"], [', ...lines("b"), "]);"]);
    const ia = readDataModule(a, () => ["text", "text"], { batchSize: 1 });
    const ib = readDataModule(b, () => ["text", "text"], { batchSize: 1 });
    for (let i = 0; i < 50; i++) {
      const [ra, rb] = [await ia.next(), await ib.next()];
      expect(ra.value.rows).toEqual([[value("a", i), second("a", i)]]);
      expect(rb.value.rows).toEqual([[value("b", i), second("b", i)]]);
    }
    expect((await ia.next()).done).toBe(true);
    expect((await ib.next()).done).toBe(true);
  });

  it("passes on what kindsFor throws", async () => {
    const path = write("refused.ts", ['export default rows("t", ["a"], [', "]);"]);
    const refuse = () => {
      throw new GenDumpError("DUMP_FORMAT", "not this table");
    };
    await expect(async () => {
      for await (const _ of readDataModule(path, refuse));
    }).rejects.toThrow("not this table");
  });

  it("streams a file of several megabytes with multi-byte characters across chunk boundaries", async () => {
    const kinds: ValueKind[] = ["integer", "text", "real", "blob"];
    const rows: DumpValue[][] = [];
    for (let i = 0; i < 40000; i++) {
      rows.push([BigInt(i), `é😀\u2028${"ü".repeat(i % 97)}"${i}`, i / 3, new Uint8Array([i & 255])]);
    }
    const path = write("big.ts", [...header, 'export default rows("big", ["id", "s", "r", "b"], [', ...rows.map((r) => encodeRow(r, kinds)), "]);", ""]);
    const { batches } = await readAll(path, kinds);
    expect(batches.length).toBe(20);
    expect(batches.map((b) => b.firstLine)).toEqual(Array.from({ length: 20 }, (_, i) => 6 + i * 2000));
    const read = batches.flatMap((b) => b.rows);
    expect(read.length).toBe(rows.length);
    expect(read.every((row, i) => sameRow(row, rows[i]!))).toBe(true);
  });

  it("reads values as without a transcoder when the transcoder factory declines the module's columns", async () => {
    const kinds: ValueKind[] = ["integer", "text", "any"];
    const rows = Array.from({ length: 3000 }, (_, i): DumpValue[] => [BigInt(i), `é\t${"x".repeat(i % 50)}`, i % 2 === 0 ? i / 4 : `s${i}`]);
    const path = write("declined.ts", [...header, 'export default rows("d", ["id", "s", "v"], [', ...rows.map((r) => encodeRow(r, kinds)), "// a comment", "]);", ""]);
    const asked: (readonly string[])[] = [];
    const batches: DataModuleBatch[] = [];
    for await (const batch of readDataModule(path, () => kinds, { transcoder: (columns) => (asked.push(columns), null) })) batches.push(batch);
    expect(asked).toEqual([["id", "s", "v"]]);
    const plain = await readAll(path, kinds);
    expect(batches).toEqual(plain.batches);
    expect(batches.flatMap((b) => b.rows).every((row, i) => sameRow(row, rows[i]!))).toBe(true);
  });
});
