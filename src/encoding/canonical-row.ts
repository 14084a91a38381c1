import type { DumpRow, ValueKind } from "../model/values.ts";
import { base64Digit, hexDigit, isSafeDigits } from "./ascii-digits.ts";

/**
 * Recognizes a row line in exactly the form the literal encoder writes (`encodeRow` in
 * literal-encoder.ts) and finds each field's literal, on the UTF-8 bytes of the line,
 * without building a value: `[v1, v2, …],` with `, ` between values, and each value the
 * plain literal of its column's kind or `null`. A target can then turn the fields into
 * its own load format directly (see {@link LineTranscoder}).
 *
 * Recognizing is deliberately narrow: anything else — tags such as `int(…)` or
 * `text(…)`, comments, other spacing, single quotes or backticks, numbers a person
 * typed (`1_000`, `0x10`, `.5`), escapes the encoder does not write, an integer beyond
 * 2^53 without `n`, a literal of another kind than its column's — is not recognized,
 * and the caller parses the line as it always does (literal-reader.ts), so that its
 * values, rejections and error messages stay exactly those of the parser.
 *
 * The bytes must be valid UTF-8 (the caller checks each chunk): field spans are copied
 * as they are.
 */

/** What a field holds; its literal is `bytes[starts[k], ends[k])`. */
export const FIELD_NULL = 0;
export const FIELD_TRUE = 1;
export const FIELD_FALSE = 2;
/** An integer (integer column): the span is its canonical decimal text (`-12`, never `-0`, no `n`). */
export const FIELD_INTEGER = 3;
/** A double (real column): the span is a decimal literal (`-1.5e-7`), `NaN` or `±Infinity`, whose value is `Number(span)`. */
export const FIELD_NUMBER = 4;
/** A string (text column) without escapes or control characters: the span, between the quotes, is its UTF-8 text. */
export const FIELD_STRING = 5;
/**
 * A string with escapes or control characters: the span, between the quotes, holds only
 * the escapes the encoder writes (`\"`, `\\`, `\n`, `\r`, `\t`, `\xHH`, `\uHHHH`, where
 * `\uHHHH` may be half of a surrogate pair), and no raw CR.
 */
export const FIELD_ESCAPED_STRING = 6;
/** Bytes (blob column): the span, inside `blob("…")`, is canonical padded base64. */
export const FIELD_BLOB = 7;

// Column kinds as small numbers, for the hot loop.
const KIND_INTEGER = 0;
const KIND_REAL = 1;
const KIND_TEXT = 2;
const KIND_BOOLEAN = 3;
const KIND_BLOB = 4;
const KIND_OTHER = 5;
const KIND_CODES: Readonly<Record<ValueKind, number>> = { integer: KIND_INTEGER, real: KIND_REAL, text: KIND_TEXT, boolean: KIND_BOOLEAN, blob: KIND_BLOB, any: KIND_OTHER };

const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE = 0x5d;
const PAREN_CLOSE = 0x29;
const EQUALS = 0x3d;

/**
 * The fields of one canonical row line. One instance per module (its column kinds),
 * reused for every line: `scan` refills the spans in place.
 */
export class CanonicalRow {
  /** The bytes the spans index into (the line's chunk), and the line's own span. */
  bytes: Buffer = Buffer.alloc(0);
  start = 0;
  end = 0;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly types: Uint8Array;
  readonly #kinds: Uint8Array;

  constructor(kinds: readonly ValueKind[]) {
    this.#kinds = Uint8Array.from(kinds, (k) => KIND_CODES[k]);
    this.starts = new Int32Array(kinds.length);
    this.ends = new Int32Array(kinds.length);
    this.types = new Uint8Array(kinds.length);
  }

  /** Number of fields (the module's columns). */
  get length(): number {
    return this.#kinds.length;
  }

  /**
   * Whether `bytes[start, end)` (one line, without its line break) is a row line in the
   * encoder's form for these column kinds; when it is, the fields are in `starts`,
   * `ends` and `types`.
   */
  scan(bytes: Buffer, start: number, end: number): boolean {
    // `],` ends the line; every field must end before that `]`.
    const close = end - 2;
    if (close <= start || bytes[start] !== OPEN || bytes[close] !== CLOSE || bytes[end - 1] !== COMMA) return false;
    this.bytes = bytes;
    this.start = start;
    this.end = end;
    const n = this.#kinds.length;
    let i = start + 1;
    for (let k = 0; k < n; k++) {
      if (k > 0) {
        if (bytes[i] !== COMMA || bytes[i + 1] !== SPACE) return false;
        i += 2;
      }
      i = this.#field(bytes, i, close, k);
      if (i < 0) return false;
    }
    return i === close;
  }

  /** One field at `i`: the index after it, or -1. */
  #field(b: Uint8Array, i: number, close: number, k: number): number {
    const c = b[i];
    if (c === 0x6e /* n */) return word(b, i, close, "null") ? this.#set(k, FIELD_NULL, i, i + 4, i + 4) : -1;
    switch (this.#kinds[k]) {
      case KIND_INTEGER:
        return this.#integer(b, i, close, k);
      case KIND_REAL:
        return this.#number(b, i, close, k);
      case KIND_TEXT:
        return c === QUOTE ? this.#string(b, i, close, k) : -1;
      case KIND_BOOLEAN:
        if (c === 0x74 /* t */) return word(b, i, close, "true") ? this.#set(k, FIELD_TRUE, i, i + 4, i + 4) : -1;
        return word(b, i, close, "false") ? this.#set(k, FIELD_FALSE, i, i + 5, i + 5) : -1;
      case KIND_BLOB:
        return this.#blob(b, i, close, k);
      default:
        // NOTE: in an `any` column a plain number's kind depends on its value (integral
        // numbers are INTEGERs): left to the parser.
        return -1;
    }
  }

  #set(k: number, type: number, start: number, end: number, next: number): number {
    this.types[k] = type;
    this.starts[k] = start;
    this.ends[k] = end;
    return next;
  }

  /** `-?(0|[1-9][0-9]*)n?`, not `-0`, and without `n` at most 2^53 - 1 (beyond, a number literal would round). */
  #integer(b: Uint8Array, i: number, close: number, k: number): number {
    const first = b[i] === MINUS ? i + 1 : i;
    const end = digitsEnd(b, first, close);
    const count = end - first;
    if (count === 0 || (b[first] === ZERO && (count > 1 || first > i))) return -1;
    if (b[end] === 0x6e /* n */) return this.#set(k, FIELD_INTEGER, i, end, end + 1);
    if (!isSafeDigits(b, first, end)) return -1;
    return this.#set(k, FIELD_INTEGER, i, end, end);
  }

  /** `NaN`, `-?Infinity`, or `-?(0|[1-9][0-9]*)(\.[0-9]+)?(e[+-][0-9]+)?`. */
  #number(b: Uint8Array, i: number, close: number, k: number): number {
    if (b[i] === 0x4e /* N */) return word(b, i, close, "NaN") ? this.#set(k, FIELD_NUMBER, i, i + 3, i + 3) : -1;
    const first = b[i] === MINUS ? i + 1 : i;
    if (b[first] === 0x49 /* I */) return word(b, first, close, "Infinity") ? this.#set(k, FIELD_NUMBER, i, first + 8, first + 8) : -1;
    let end = digitsEnd(b, first, close);
    if (end === first || (b[first] === ZERO && end > first + 1)) return -1;
    if (b[end] === DOT) {
      const fraction = digitsEnd(b, end + 1, close);
      if (fraction === end + 1) return -1;
      end = fraction;
    }
    if (b[end] === 0x65 /* e */) {
      const sign = b[end + 1];
      if (sign !== PLUS && sign !== MINUS) return -1;
      const exponent = digitsEnd(b, end + 2, close);
      if (exponent === end + 2) return -1;
      end = exponent;
    }
    return this.#set(k, FIELD_NUMBER, i, end, end);
  }

  /** `"…"` with the encoder's escapes only; a raw CR (a line break to JavaScript) is not a literal. */
  #string(b: Uint8Array, i: number, close: number, k: number): number {
    let j = i + 1;
    let plain = true;
    for (;;) {
      if (j >= close) return -1;
      const c = b[j]!;
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        const step = escapeLength(b, j, close);
        if (step < 0) return -1;
        plain = false;
        j += step;
      } else {
        if (c < SPACE) {
          if (c === CR) return -1;
          plain = false; // a raw tab, NUL or other control: a target may have to escape or refuse it
        }
        j++;
      }
    }
    return this.#set(k, plain ? FIELD_STRING : FIELD_ESCAPED_STRING, i + 1, j, j + 1);
  }

  /** `blob("…")` around canonical padded base64. */
  #blob(b: Uint8Array, i: number, close: number, k: number): number {
    if (!word(b, i, close, "blob(") || b[i + 5] !== QUOTE) return -1;
    const start = i + 6;
    let j = start;
    while (j < close && base64Digit(b[j]!) >= 0) j++;
    let pad = 0;
    while (pad < 2 && j + pad < close && b[j + pad] === EQUALS) pad++;
    const end = j + pad;
    if (b[end] !== QUOTE || b[end + 1] !== PAREN_CLOSE || end + 1 >= close || (end - start) % 4 !== 0) return -1;
    // NOTE: canonical means the bits the padding leaves over are zero (decodeBase64 in
    // literal-scanner.ts refuses anything Buffer would not write back the same).
    if (pad === 1 && (base64Digit(b[j - 1]!) & 0x03) !== 0) return -1;
    if (pad === 2 && (base64Digit(b[j - 1]!) & 0x0f) !== 0) return -1;
    return this.#set(k, FIELD_BLOB, start, end, end + 2);
  }
}

/** Whether `b` holds `text` (ASCII) at `i`, ending before `close`. */
function word(b: Uint8Array, i: number, close: number, text: string): boolean {
  if (i + text.length > close) return false;
  for (let t = 0; t < text.length; t++) if (b[i + t] !== text.charCodeAt(t)) return false;
  return true;
}

/** The index after the decimal digits starting at `i`. */
function digitsEnd(b: Uint8Array, i: number, close: number): number {
  while (i < close && b[i]! >= ZERO && b[i]! <= NINE) i++;
  return i;
}

/** Length of the escape at `j` (a backslash), if it is one the encoder writes; else -1. */
function escapeLength(b: Uint8Array, j: number, close: number): number {
  const c = b[j + 1];
  if (c === QUOTE || c === BACKSLASH || c === 0x6e /* n */ || c === 0x72 /* r */ || c === 0x74 /* t */) return 2;
  const digits = c === 0x78 /* x */ ? 2 : c === 0x75 /* u */ ? 4 : 0;
  if (digits === 0 || j + 2 + digits > close) return -1;
  for (let d = 0; d < digits; d++) if (hexDigit(b[j + 2 + d]) < 0) return -1;
  return 2 + digits;
}

/**
 * What a data module reader hands the rows of one module to when its caller can take
 * them without values (see `readDataModule`'s `transcoder` option): every row, in order,
 * either as a canonical line or — a line the transcoder declined or that is not
 * canonical — as the values the parser read from it.
 */
export interface LineTranscoder<Batch> {
  /** Take the row of a canonical line; false to decline it (then nothing was taken, and the row comes to `addRow`). */
  addLine(row: CanonicalRow): boolean;
  /** Take a row the parser read. */
  addRow(row: DumpRow): void;
  /** The rows taken since the last call, as one batch. */
  take(): Batch;
}
