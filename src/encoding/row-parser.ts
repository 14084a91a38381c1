import { type DumpRow, type DumpValue, RawText, type ValueKind, plainLiteralFits } from "../model/values.ts";
import { LineScanner, LiteralKindError, decodeBase64, isWordChar } from "./literal-scanner.ts";

/**
 * One row line of a data module, `[v1, v2, …],`, read without executing it: the literal
 * forms of literal-scanner.ts and numeric-literal.ts, `null`/`true`/`false`, and the
 * dump's tags with one literal argument. Values are normalized by column kind exactly
 * as the import path does, so both give the same row.
 */

const TAGS = new Set(["int", "real", "text", "bool", "blob", "rawText"]);

// NOTE: one scanner for the whole process: parsing is synchronous and never re-entered.
export const scanner = new LineScanner();

/**
 * Parse one row line (`[1, "a", blob("AAE=")],`, trailing comma and `// comment`
 * optional) into values normalized by column kind, exactly as importing the module
 * would: a plain number is an INTEGER in an `integer`/`any` column when it is integral,
 * tags give their natural value. A plain literal of another kind than its column's is a
 * {@link LiteralKindError} (thrown once the line has parsed), unless `checkKinds` is false.
 */
export function parseRowLine(line: string, kinds: readonly ValueKind[], lineNo: number): DumpRow {
  return parseRow(scanner.reset(line, lineNo), kinds);
}

/** {@link parseRowLine} of the line the scanner was reset to. */
export function parseRow(p: LineScanner, kinds: readonly ValueKind[], checkKinds = true): DumpRow {
  kindError = null;
  checking = checkKinds;
  p.expect("[", "[ to open a row");
  const row: DumpValue[] = [];
  const count = kinds.length;
  p.skipSpace();
  while (p.peek() !== 0x5d /* ] */) {
    if (row.length === count) p.fail(`more values than the ${count} columns of the module`);
    row.push(value(p, kinds[row.length]!, row.length));
    let c = p.peek();
    if (c !== 0x2c && c !== 0x5d) {
      p.skipSpace();
      c = p.peek();
    }
    if (c === 0x2c /* , */) {
      // `, ` between values, as the encoder writes it, without a call.
      if (p.text.charCodeAt(++p.pos) === 0x20) p.pos++;
      p.skipSpace();
    } else if (c !== 0x5d) {
      p.fail(Number.isNaN(c) ? "unterminated row (a row must stay on one line)" : "expected , or ] after a value");
    }
  }
  if (row.length !== count) p.fail(`the row has ${row.length} values; the module names ${count} columns`);
  p.pos++;
  p.skipSpace();
  if (p.peek() === 0x2c) p.pos++;
  if (!p.atLineEnd()) p.fail("unexpected text after the row");
  if (kindError !== null) throw kindError;
  return row;
}

/** One value, normalized for a column of kind `kind`; a plain literal must fit the kind. */
function value(p: LineScanner, kind: ValueKind, column: number): DumpValue {
  const c = p.peek();
  const at = p.pos;
  if (c === 0x22 || c === 0x27 || c === 0x60) {
    const text = p.string();
    if (kind !== "text" && kind !== "any") wrongKind(p, "string", kind, column, at);
    return text;
  }
  if (((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c === 0x5f || c === 0x24) {
    // The keywords the encoder writes, matched without cutting a string out of the line.
    if (keywordAt(p, "null")) return null;
    const bool = keywordAt(p, "true") ? true : keywordAt(p, "false") ? false : undefined;
    if (bool === undefined) return wordValue(p, kind, column);
    if (kind !== "boolean" && kind !== "any") wrongKind(p, "boolean", kind, column, at);
    return bool;
  }
  if (!isNumberStart(c)) p.fail(Number.isNaN(c) ? "unterminated row (a row must stay on one line)" : "expected a value (a literal)");
  const n = plainInteger(p) ?? p.signedNumber();
  if (!plainLiteralFits(typeof n as "number" | "bigint", kind)) wrongKind(p, typeof n as "number" | "bigint", kind, column, at);
  if (typeof n === "bigint") return n;
  if ((kind !== "integer" && kind !== "any") || !Number.isInteger(n)) return n;
  // NOTE: BigInt(n) is a runtime call; small integers (flags, counts, codes) are common.
  return n >= 0 && n < SMALL_BIGINTS.length ? SMALL_BIGINTS[n]! : BigInt(n);
}

const SMALL_BIGINTS: readonly bigint[] = Array.from({ length: 1024 }, (_, i) => BigInt(i));

/** What a column of each kind holds as a plain literal, for messages. */
const PLAIN_OF_KIND: Record<ValueKind, string> = {
  integer: "an integer",
  real: "a number",
  text: "a string",
  boolean: "true or false",
  blob: 'blob("…base64…")',
  any: "any literal",
};
const TAG_OF_TYPE = { number: "real", bigint: "int", string: "text", boolean: "bool" } as const;

// NOTE: a kind error is thrown only once the whole line has parsed: a line that is also
// a syntax error must report that (and go to the import path) instead.
let kindError: LiteralKindError | null = null;
let checking = true;

function wrongKind(p: LineScanner, type: keyof typeof TAG_OF_TYPE, kind: ValueKind, column: number, at: number): void {
  if (checking) kindError ??= new LiteralKindError(
    `a ${type} where the column's type expects ${PLAIN_OF_KIND[kind]}: write ${PLAIN_OF_KIND[kind]}, or ${TAG_OF_TYPE[type]}(…) to store a ${type} in it on purpose`,
    p.lineNo,
    at - p.start + 1,
    column,
  );
}

/** `NaN`, `Infinity` (plain numbers, so they must fit the column) or a tag call. */
function wordValue(p: LineScanner, kind: ValueKind, column: number): DumpValue {
  const start = p.pos;
  const word = p.word();
  if (word === "NaN" || word === "Infinity") {
    if (!plainLiteralFits("number", kind)) wrongKind(p, "number", kind, column, start);
    return word === "NaN" ? NaN : Infinity;
  }
  if (TAGS.has(word)) return tag(p, word);
  return p.fail(`identifier ${word} (only literals can be read)`, start);
}

function keywordAt(p: LineScanner, keyword: string): boolean {
  const s = p.text;
  const at = p.pos;
  // NOTE: no bound check needed: the character at p.end is a line terminator (or none),
  // which matches no keyword letter.
  for (let k = 0; k < keyword.length; k++) if (s.charCodeAt(at + k) !== keyword.charCodeAt(k)) return false;
  const end = at + keyword.length;
  if (isWordChar(s.charCodeAt(end))) return false;
  p.pos = end;
  return true;
}

/**
 * The hot path for the commonest value, a short decimal integer such as `42` or `-7`:
 * read in one loop; anything longer or fancier (`1.5`, `1_000`, `12n`) returns undefined
 * and goes through the full numeric-literal scanner from the same position.
 */
function plainInteger(p: LineScanner): number | undefined {
  const s = p.text;
  const start = p.pos;
  let i = s.charCodeAt(start) === 0x2d ? start + 1 : start;
  const first = i;
  let n = 0;
  for (let d = s.charCodeAt(i) - 0x30; d >= 0 && d <= 9; d = s.charCodeAt(++i) - 0x30) n = n * 10 + d;
  const digits = i - first;
  if (digits === 0 || digits > 15 || (digits > 1 && s.charCodeAt(first) === 0x30)) return undefined;
  const next = s.charCodeAt(i);
  if (next === 0x2e || isWordChar(next)) return undefined; // 1.5, 1e3, 1_0, 12n, 0x1F
  p.pos = i;
  return first === start ? n : -n;
}

function isNumberStart(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d || c === 0x2b || c === 0x49 || c === 0x4e;
}

/** `name(literal)`: the tag's natural value. */
function tag(p: LineScanner, name: string): DumpValue {
  p.expect("(", `( after ${name}`);
  p.skipSpace();
  const at = p.pos;
  const result = tagArgument(p, name, at);
  p.skipSpace();
  if (p.peek() === 0x2c) p.pos++;
  p.expect(")", `) to close ${name}(`);
  return result;
}

function tagArgument(p: LineScanner, name: string, at: number): DumpValue {
  const c = p.peek();
  const quoted = c === 0x22 || c === 0x27 || c === 0x60;
  switch (name) {
    case "int": {
      if (!isNumberStart(c)) break;
      const n = p.signedNumber();
      if (typeof n === "bigint") return n;
      if (!Number.isInteger(n)) p.fail(`int() of ${n}, which is not an integer`, at);
      return BigInt(n);
    }
    case "real": {
      if (!isNumberStart(c)) break;
      const n = p.signedNumber();
      if (typeof n === "bigint") p.fail("real() of a bigint", at);
      return n;
    }
    case "text":
      if (quoted) return p.string();
      break;
    case "bool": {
      const word = p.word();
      if (word === "true" || word === "false") return word === "true";
      break;
    }
    default: {
      if (!quoted) break;
      const bytes = decodeBase64(p.string());
      if (bytes === null) p.fail(`${name}() of text that is not standard padded base64`, at);
      return name === "blob" ? bytes : new RawText(bytes);
    }
  }
  return p.fail(`${name}() takes one ${argumentKind(name)} literal`, at);
}

function argumentKind(name: string): string {
  if (name === "int" || name === "real") return "number";
  return name === "bool" ? "boolean" : "string";
}
