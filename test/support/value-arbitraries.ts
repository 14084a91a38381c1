import fc from "fast-check";
import { type DumpValue, RawText, type ValueKind } from "../../src/model/values.ts";
import { bool, blob, int, rawText, real, text } from "../../templates/dump-helpers.ts";
import { normalizeImportedValue } from "../../src/restore/imported-value.ts";

/**
 * Adversarial generators for the literal encoder and reader: every value kind, with
 * strings biased towards what breaks literals and comments, and a value comparison
 * that tells -0 from 0, NaN from NaN-less, bigint from number and bytes from RawText.
 */

export const KINDS: readonly ValueKind[] = ["integer", "real", "boolean", "text", "blob", "any"];
export const kindArb: fc.Arbitrary<ValueKind> = fc.constantFrom(...KINDS);

/** Pieces that break naive literals, comments, HTML embedding or line splitting. */
export const NASTY_PIECES = [
  '"', "'", "\\", "`", "${", "}", "*/", "/*", "//", "</script>", "<!--", "-->",
  "\u2028", "\u2029", "\u0085", "\ud800", "\udbff", "\udc00", "\udfff", "\0", "\x01", "\x1b[31m",
  "\x7f", "\x80", "\x9f", "\ufeff", "\u202e", "\r", "\n", "\r\n", "\t", "\v", "\f",
  "😀", "👩‍👩‍👧", "é", "e\u0301", "\uffff", "$&", "\\u0041", "\\x41", "\\", "\\\\",
];

/** Strings: full unicode (lone surrogates included), graphemes, and nasty pieces mixed in. */
export const stringArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary-ascii" }),
  fc.array(fc.oneof(fc.constantFrom(...NASTY_PIECES), fc.string({ unit: "binary", maxLength: 3 })), { maxLength: 12 }).map((parts) => parts.join("")),
);

export const doubleArb: fc.Arbitrary<number> = fc.oneof(
  fc.double(),
  fc.constantFrom(-0, 0, NaN, Infinity, -Infinity, 5e-324, -5e-324, 2.2250738585072014e-308, Number.MAX_VALUE, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e21, 1e-7, 0.1, 123456789012345680000),
  fc.integer().map((n) => n / 100),
);

export const bigintArb: fc.Arbitrary<bigint> = fc.oneof(
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }),
  fc.constantFrom(0n, -1n, 2n ** 53n - 1n, 2n ** 53n, -(2n ** 53n - 1n), -(2n ** 53n), 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n),
  fc.integer({ min: -1000, max: 1000 }).map(BigInt),
);

export const valueArb: fc.Arbitrary<DumpValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  doubleArb,
  bigintArb,
  stringArb,
  fc.uint8Array({ maxLength: 40 }),
  fc.uint8Array({ maxLength: 40 }).map((bytes) => new RawText(bytes)),
);

/** A row with the kinds of its columns. */
export const rowArb: fc.Arbitrary<{ row: DumpValue[]; kinds: ValueKind[] }> = fc
  .array(fc.tuple(valueArb, kindArb), { maxLength: 8 })
  .map((cells) => ({ row: cells.map((c) => c[0]), kinds: cells.map((c) => c[1]) }));

/** Same value and same storage class (Object.is for numbers; bytes compared by content). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof RawText || b instanceof RawText) {
    return a instanceof RawText && b instanceof RawText && sameBytes(a.bytes, b.bytes);
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && sameBytes(a, b);
  }
  return Object.is(a, b);
}

export function sameRow(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Run a row line (`[…],` as the encoder writes it, or a hand-edited one) as real JavaScript, strict mode,
 * with the dump template's tag functions, and normalize the result the way the import
 * fallback does.
 */
export function evaluateRowLine(line: string, kinds: readonly ValueKind[]): unknown[] {
  // Inside an array literal the line's trailing comma is allowed, and the newline ends a
  // trailing `// comment`, as in the module itself.
  const run = new Function("int", "real", "text", "bool", "blob", "rawText", `"use strict"; return [${line}\n][0];`);
  const raw = run(int, real, text, bool, blob, rawText) as unknown[];
  if (!Array.isArray(raw) || raw.length !== kinds.length) throw new Error(`not a row of ${kinds.length}: ${line}`);
  return raw.map((v, i) => normalizeImportedValue(v, kinds[i]!, () => `value ${i}`));
}
