import { GenDumpError } from "../errors.ts";
import { type DumpRow, type DumpValue, RawText, type ValueKind } from "../model/values.ts";

/**
 * The one literal encoder of gen-dump. Every value a dump writes, every identifier and
 * every piece of SQL text that lands in generated TypeScript goes through the functions
 * of this file, so that no user data can ever break out of its literal. Row encoding runs
 * on millions of values: the common cases (short plain strings, small numbers) take one
 * regex test or one `String()` call and nothing else.
 *
 * The reader in literal-reader.ts undoes these rules, and the property tests in
 * test/unit/literal-encoder.test.ts prove both directions agree with each other and with
 * running the module as JavaScript.
 */

// NOTE: one character class for everything a string literal cannot keep raw: the quote,
// the backslash, C0/DEL/C1 controls, the JS line terminators U+2028/U+2029, the BOM and
// any surrogate (pairs are re-checked on the slow path and kept; only lone ones escape).
const NEEDS_ESCAPE = /["\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]/;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;
const HEX = "0123456789ABCDEF";

/**
 * Encode `s` as a double-quoted JavaScript/TypeScript string literal whose value is
 * exactly `s` (lone surrogates included) and whose text is one line. Printable unicode
 * is kept as is for readability.
 */
export function encodeString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  return '"' + escapeSlow(s) + '"';
}

function escapeSlow(s: string): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c === 0x22) esc = '\\"';
    else if (c === 0x5c) esc = "\\\\";
    else if (c === 0x0a) esc = "\\n";
    else if (c === 0x0d) esc = "\\r";
    else if (c === 0x09) esc = "\\t";
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) esc = "\\x" + HEX[c >> 4] + HEX[c & 15];
    else if (c === 0x2028 || c === 0x2029 || c === 0xfeff) esc = unicodeEscape(c);
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1); // NaN past the end
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++; // a well-formed pair: keep both halves raw
        continue;
      }
      esc = unicodeEscape(c);
    } else if (c >= 0xdc00 && c <= 0xdfff) esc = unicodeEscape(c);
    else continue;
    out += s.slice(from, i) + esc;
    from = i + 1;
  }
  return out + s.slice(from);
}

function unicodeEscape(c: number): string {
  return "\\u" + HEX[(c >> 12) & 15] + HEX[(c >> 8) & 15] + HEX[(c >> 4) & 15] + HEX[c & 15];
}

/** Shortest round-trip text of a double, `-0`, `NaN` and `±Infinity` included. */
function numberText(n: number): string {
  return n === 0 && 1 / n < 0 ? "-0" : String(n);
}

/** Integer text: a plain number literal while exact as a double, else a bigint literal. */
function integerText(v: bigint): string {
  return v <= MAX_SAFE && v >= MIN_SAFE ? String(v) : String(v) + "n";
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/**
 * Encode one value for a column of kind `kind`: a plain literal when the value has the
 * column's kind, a tag call (`int(…)`, `real(…)`, `text(…)`, `bool(…)`) when it does not,
 * and always a tag for bytes (`blob(…)`, `rawText(…)`). In detail:
 * - bigint: `42` while |v| <= 2^53-1, else `123…n`; plain in integer/any columns.
 * - number: shortest round-trip text (`-0`, `NaN`, `Infinity` included); plain in real
 *   columns, and in any columns when not integral (the loader reads integral ones back
 *   as INTEGER there).
 * - string: {@link encodeString}; plain in text/any columns. boolean: plain in boolean/any.
 * - Uint8Array / RawText: `blob("<base64>")` / `rawText("<base64>")`.
 */
export function encodeValue(value: DumpValue, kind: ValueKind): string {
  switch (typeof value) {
    case "bigint":
      return kind === "integer" || kind === "any" ? integerText(value) : "int(" + integerText(value) + ")";
    case "number":
      return encodeNumber(value, kind);
    case "string":
      return kind === "text" || kind === "any" ? encodeString(value) : "text(" + encodeString(value) + ")";
    case "boolean": {
      const text = value ? "true" : "false";
      return kind === "boolean" || kind === "any" ? text : "bool(" + text + ")";
    }
    case "object":
      if (value === null) return "null";
      if (value instanceof Uint8Array) return 'blob("' + base64(value) + '")';
      if (value instanceof RawText) return 'rawText("' + base64(value.bytes) + '")';
  }
  throw new GenDumpError("INTERNAL", `The literal encoder was given a value that is not a DumpValue (${describe(value)}).`);
}

function encodeNumber(value: number, kind: ValueKind): string {
  // NOTE: in an `any` column the loader reads an integral plain number back as an
  // INTEGER, so an integral REAL keeps its storage class through `real(…)`.
  if (kind === "real" || (kind === "any" && !Number.isInteger(value))) return numberText(value);
  return "real(" + numberText(value) + ")";
}

function describe(value: unknown): string {
  if (typeof value !== "object" || value === null) return typeof value;
  return value.constructor?.name ?? "object";
}

/**
 * The text of one row line without its newline: `[v1, v2, …],`. `kinds` gives the
 * column kinds, in the row's order.
 */
export function encodeRow(row: DumpRow, kinds: readonly ValueKind[]): string {
  const n = row.length;
  if (n !== kinds.length) {
    throw new GenDumpError("INTERNAL", `A row has ${n} values but its table has ${kinds.length} data columns.`);
  }
  if (n === 0) return "[],";
  let out = "[" + encodeValue(row[0] as DumpValue, kinds[0] as ValueKind);
  for (let i = 1; i < n; i++) out += ", " + encodeValue(row[i] as DumpValue, kinds[i] as ValueKind);
  return out + "],";
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Encode plain JSON-like data (plain objects, arrays, strings, finite numbers, booleans,
 * null) as a pretty-printed TypeScript expression, two spaces per level; `indent` is the
 * level of the line the expression starts on. Object keys keep their given order; every
 * string and every key that is not a plain identifier goes through {@link encodeString}.
 * Throws on anything else (undefined, functions, bigint, NaN/Infinity, class instances,
 * cycles), because schema.ts and restore.ts must hold exactly what was given.
 */
export function encodeJsonLike(value: unknown, indent = 0): string {
  return jsonLike(value, "  ".repeat(indent), new Set(), "value");
}

function jsonLike(value: unknown, pad: string, open: Set<object>, path: string): string {
  switch (typeof value) {
    case "string":
      return encodeString(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) return refuse(path, String(value));
      return numberText(value);
    case "object":
      if (value === null) return "null";
      if (open.has(value)) return refuse(path, "a cycle");
      open.add(value);
      try {
        if (Array.isArray(value)) return jsonArray(value, pad, open, path);
        const proto = Object.getPrototypeOf(value) as unknown;
        if (proto !== Object.prototype && proto !== null) return refuse(path, describe(value));
        return jsonObject(value as Record<string, unknown>, pad, open, path);
      } finally {
        open.delete(value);
      }
    default:
      return refuse(path, typeof value);
  }
}

const INLINE_WIDTH = 80;

function jsonArray(items: readonly unknown[], pad: string, open: Set<object>, path: string): string {
  if (items.length === 0) return "[]";
  const inner = pad + "  ";
  const parts: string[] = [];
  for (let i = 0; i < items.length; i++) {
    // NOTE: a hole reads as undefined here, and is refused like one.
    parts.push(jsonLike(items[i], inner, open, `${path}[${i}]`));
  }
  // Short arrays of scalars stay on one line (`["id"]`): easier to read, still deterministic.
  const scalars = items.every((v) => v === null || typeof v !== "object");
  const inline = "[" + parts.join(", ") + "]";
  if (scalars && inline.length <= INLINE_WIDTH) return inline;
  return "[\n" + parts.map((p) => inner + p + ",\n").join("") + pad + "]";
}

function jsonObject(object: Record<string, unknown>, pad: string, open: Set<object>, path: string): string {
  const keys = Object.keys(object);
  if (keys.length === 0) return "{}";
  const inner = pad + "  ";
  let out = "{\n";
  for (const key of keys) {
    const value = jsonLike(object[key], inner, open, `${path}.${key}`);
    out += inner + propertyName(key) + ": " + value + ",\n";
  }
  return out + pad + "}";
}

function propertyName(key: string): string {
  // NOTE: `__proto__: x` (and `"__proto__": x`) in an object literal sets the prototype
  // instead of a property; only the computed form creates an own property of that name.
  if (key === "__proto__") return '["__proto__"]';
  return IDENTIFIER.test(key) ? key : encodeString(key);
}

function refuse(path: string, what: string): never {
  throw new GenDumpError("INTERNAL", `Cannot write ${what} at ${path} as a JSON-like literal: only plain objects, arrays, strings, finite numbers, booleans and null can be.`);
}

// NOTE: besides `*/` and every line terminator (U+2028/U+2029 end a `//` comment in JS),
// this escapes controls (a name must not drive a terminal either), the BOM and the bidi
// controls that can make a comment display other than it reads ("Trojan Source").
const COMMENT_UNSAFE =
  /\*\/|[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function commentEscape(match: string): string {
  if (match === "*/") return "*\\/";
  const c = match.charCodeAt(0);
  if (c === 0x0a) return "\\n";
  if (c === 0x0d) return "\\r";
  if (c === 0x09) return "\\t";
  return c < 0x100 ? "\\x" + HEX[c >> 4] + HEX[c & 15] : unicodeEscape(c);
}

/**
 * Make any text safe and single-line inside a `//` line comment or a block comment (and
 * on a terminal): a star followed by a slash gets a backslash between the two, line
 * terminators and control characters become visible escapes (`\n`, `\x85`, `\u2028`).
 * Not reversible; for display only.
 */
export function sanitizeComment(s: string): string {
  return s.replace(COMMENT_UNSAFE, commentEscape);
}
