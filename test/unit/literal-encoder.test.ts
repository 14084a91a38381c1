import fc from "fast-check";
import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { encodeJsonLike, encodeRow, encodeString, encodeValue, sanitizeComment } from "../../src/encoding/literal-encoder.ts";
import { parseRowLine } from "../../src/encoding/literal-reader.ts";
import { type DumpValue, RawText, type ValueKind } from "../../src/model/values.ts";
import { evaluateRowLine, kindArb, rowArb, sameRow, sameValue, stringArb, valueArb } from "../support/value-arbitraries.ts";

const RUNS = { numRuns: 3000 };
const LINE_TERMINATORS = /[\n\r\u2028\u2029]/;

describe("encodeValue / encodeRow", () => {
  it("golden examples", () => {
    const cases: [DumpValue, ValueKind, string][] = [
      [null, "integer", "null"],
      [42n, "integer", "42"],
      [-42n, "any", "-42"],
      [9007199254740991n, "integer", "9007199254740991"],
      [9007199254740992n, "integer", "9007199254740992n"],
      [-123456789012345678901n, "any", "-123456789012345678901n"],
      [7n, "real", "int(7)"],
      [2n ** 64n, "text", "int(18446744073709551616n)"],
      [1.5, "real", "1.5"],
      [1e21, "real", "1e+21"],
      [5e-324, "real", "5e-324"],
      [-0, "real", "-0"],
      [NaN, "real", "NaN"],
      [-Infinity, "real", "-Infinity"],
      [1.5, "any", "1.5"],
      [NaN, "any", "NaN"],
      [3, "any", "real(3)"],
      [-0, "any", "real(-0)"],
      [3, "integer", "real(3)"],
      [0.1, "text", "real(0.1)"],
      ["hi", "text", '"hi"'],
      ["hi", "any", '"hi"'],
      ["hi", "integer", 'text("hi")'],
      [true, "boolean", "true"],
      [false, "any", "false"],
      [true, "integer", "bool(true)"],
      [new Uint8Array([0, 1, 2]), "blob", 'blob("AAEC")'],
      [new Uint8Array([255]), "any", 'blob("/w==")'],
      [new Uint8Array([]), "blob", 'blob("")'],
      [new RawText(new Uint8Array([0xff, 0xfe])), "text", 'rawText("//4=")'],
    ];
    for (const [value, kind, expected] of cases) expect(encodeValue(value, kind), `${String(value)} as ${kind}`).toBe(expected);
    expect(encodeRow([1n, "a", null], ["integer", "text", "any"])).toBe('[1, "a", null],');
    expect(encodeRow([], [])).toBe("[],");
    expect(() => encodeRow([1n], [])).toThrow(/1 values/);
  });

  it("golden string escapes", () => {
    expect(encodeString("")).toBe('""');
    expect(encodeString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(encodeString("\n\r\t\0\x01\x1f\x7f\x85\x9f")).toBe('"\\n\\r\\t\\x00\\x01\\x1F\\x7F\\x85\\x9F"');
    expect(encodeString("\u2028\u2029\ufeff")).toBe('"\\u2028\\u2029\\uFEFF"');
    expect(encodeString("\ud800x\udc00")).toBe('"\\uD800x\\uDC00"');
    expect(encodeString("😀 é ` ${x} */ </script> '")).toBe("\"😀 é ` ${x} */ </script> '\"");
    expect(encodeString("\udbff")).toBe('"\\uDBFF"'); // lone high surrogate at the end
  });

  it("(a) the fast reader reads back exactly the value written, in every kind", () => {
    fc.assert(
      fc.property(valueArb, kindArb, (value, kind) => {
        const line = encodeRow([value], [kind]);
        const [read] = parseRowLine(line, [kind], 1);
        return sameValue(read, value);
      }),
      RUNS,
    );
    fc.assert(fc.property(rowArb, ({ row, kinds }) => sameRow(parseRowLine(encodeRow(row, kinds), kinds, 1), row)), RUNS);
  });

  it("(b) running the row as JavaScript gives the same values as the fast reader", () => {
    fc.assert(
      fc.property(rowArb, ({ row, kinds }) => {
        const line = encodeRow(row, kinds);
        const executed = evaluateRowLine(line, kinds);
        return sameRow(executed, row) && sameRow(executed, parseRowLine(line, kinds, 1));
      }),
      RUNS,
    );
  });

  it("(c) a string literal is exactly one token of one line, whose value is the string", () => {
    const scanner = ts.createScanner(ts.ScriptTarget.ESNext, false, ts.LanguageVariant.Standard);
    fc.assert(
      fc.property(stringArb, (s) => {
        const literal = encodeString(s);
        if (LINE_TERMINATORS.test(literal)) return false;
        let error = false;
        scanner.setText(literal);
        scanner.setOnError(() => (error = true));
        const kind = scanner.scan();
        const value = scanner.getTokenValue();
        const end = scanner.getTokenEnd();
        return !error && kind === ts.SyntaxKind.StringLiteral && end === literal.length && value === s && scanner.scan() === ts.SyntaxKind.EndOfFileToken;
      }),
      RUNS,
    );
  });

  it("(c) a row line has no line terminator and parses with nothing left over, also with a comment after it", () => {
    fc.assert(
      fc.property(rowArb, ({ row, kinds }) => {
        const line = encodeRow(row, kinds);
        if (LINE_TERMINATORS.test(line) || !line.startsWith("[") || !line.endsWith("],")) return false;
        // The reader refuses any leftover text, so parsing succeeds only if the row ends where it should.
        return sameRow(parseRowLine(`${line} // ${sanitizeComment(line)}`, kinds, 1), row);
      }),
      RUNS,
    );
  });
});

describe("sanitizeComment", () => {
  it("golden examples", () => {
    expect(sanitizeComment("plain text, é 😀")).toBe("plain text, é 😀");
    expect(sanitizeComment("a */ b\nc\r\n\u2028\u2029\x85\t\x1b\0")).toBe("a *\\/ b\\nc\\r\\n\\u2028\\u2029\\x85\\t\\x1B\\x00");
    expect(sanitizeComment("**/*/")).toBe("**\\/*\\/");
    expect(sanitizeComment("\u202e\ud800")).toBe("\\u202E\\uD800");
  });

  it("(d) never contains */ or a line terminator, and is a harmless comment in both forms", () => {
    fc.assert(
      fc.property(stringArb, (s) => {
        const out = sanitizeComment(s);
        if (out.includes("*/") || /[\n\r\u2028\u2029\x85\v\f]/.test(out)) return false;
        const run = new Function(`/* ${out} */ // ${out}\nreturn 1;`);
        return run() === 1;
      }),
      RUNS,
    );
  });
});

describe("encodeJsonLike", () => {
  const evaluate = (text: string): unknown => new Function(`"use strict"; return (${text});`)();

  it("golden example: identifiers bare, other keys quoted, short scalar arrays inline", () => {
    const text = encodeJsonLike({ id: 1, "two words": [1, "x", null], nested: { ok: true, list: [] }, empty: {}, neg: -0 });
    expect(text).toBe(
      [
        "{",
        "  id: 1,",
        '  "two words": [1, "x", null],',
        "  nested: {",
        "    ok: true,",
        "    list: [],",
        "  },",
        "  empty: {},",
        "  neg: -0,",
        "}",
      ].join("\n"),
    );
    expect(encodeJsonLike([{ a: 1 }], 2)).toBe("[\n      {\n        a: 1,\n      },\n    ]");
  });

  it("round-trips JSON-like data with adversarial keys and strings, key order kept", () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        stringArb,
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(fc.oneof(stringArb, fc.constantFrom("__proto__", "constructor", "0", "1e3", "a b", "$ok", "_x")), tie("value"), { maxKeys: 4, noNullPrototype: true }),
      ),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        const back = evaluate(encodeJsonLike(value));
        return jsonEqual(back, value);
      }),
      { numRuns: 1000 },
    );
  });

  it("keeps __proto__ as an own property", () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const back = evaluate(encodeJsonLike(value)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses what is not JSON-like", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [undefined, () => 1, 1n, NaN, Infinity, new Date(0), new Map(), new Uint8Array(1), cyclic, { a: undefined }, [1, , 2], Symbol("s")]) {
      expect(() => encodeJsonLike(bad), String(bad)).toThrow(/JSON-like/);
    }
  });
});

/**
 * Deep equality for JSON-like data that also compares key order, prototypes and -0
 * (vitest's toStrictEqual reads a `constructor` key as the constructor).
 */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return Object.is(a, b);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
