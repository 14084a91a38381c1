import { BASE64_ALPHABET as BASE64, hexDigit, isSafeDigits } from "./ascii-digits.ts";
import { encodeValue } from "./literal-encoder.ts";

/**
 * The literal encoder's rules (literal-encoder.ts) applied to values a reader has as
 * UTF-8 text, straight into UTF-8 output: no JavaScript value (string, bigint, Uint8Array)
 * is built per field. For a source that sends its rows as text (PostgreSQL's COPY) this
 * is most of a dump's cost saved. Every function writes exactly the bytes of what
 * `encodeValue` returns for the same value and a column of the value's own kind; the
 * property tests in test/unit/literal-bytes.test.ts hold both to that.
 */

const HEX_UPPER = Buffer.from("0123456789ABCDEF", "latin1");

/**
 * A growing output buffer of UTF-8 literal text. Writers call `reserve` with a bound on
 * what they will write, then write without further checks.
 */
export class LiteralByteWriter {
  bytes: Buffer;
  pos = 0;

  constructor(initial = 1 << 20) {
    this.bytes = Buffer.allocUnsafe(initial);
  }

  /** Make room for `n` more bytes. */
  reserve(n: number): void {
    if (this.pos + n <= this.bytes.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.pos + n));
    this.bytes.copy(next, 0, 0, this.pos);
    this.bytes = next;
  }

  /** Text the encoder made (a row line of the slow path, punctuation), as UTF-8. */
  text(text: string): void {
    this.reserve(text.length * 3);
    this.pos += this.bytes.write(text, this.pos, "utf8");
  }

  /** One ASCII byte. */
  byte(b: number): void {
    this.reserve(1);
    this.bytes[this.pos++] = b;
  }

  /**
   * `encodeString(s)` for the string whose UTF-8 is `src[start, …)`, up to the first
   * `delimiter` byte (a control byte, below 0x20) or `end`, whichever comes first;
   * returns where it stopped. `src` must
   * be valid UTF-8 (so it holds no lone surrogate). The quote, backslash, C0/DEL/C1
   * controls, U+2028, U+2029 and the BOM are escaped as the encoder escapes them, the rest
   * kept. With `escapes`, the source text has backslash escapes: a backslash and the byte
   * `c` after it stand for the byte `escapes[c]`; where that is -1 (or the text ends after
   * the backslash) nothing is written and -1 returned, for the caller to decode the value
   * itself. An escape must stand for an ASCII byte or for `c` itself, so the text stays
   * valid UTF-8.
   */
  stringLiteral(src: Uint8Array, start: number, end: number, delimiter = -1, escapes: Int16Array | null = null): number {
    // NOTE: an escape is at most 4 bytes for 1 input byte (`\x01`); the quotes are 2.
    this.reserve(4 * (end - start) + 2);
    const out = this.bytes;
    let o = this.pos;
    out[o++] = 0x22;
    let i = start;
    for (; i < end; i++) {
      let b = src[i]!;
      if (KEPT[b] === 1) {
        out[o++] = b;
        continue;
      }
      if (b === delimiter) break;
      if (b === 0x5c && escapes !== null) {
        if (++i >= end) return -1;
        b = escapes[src[i]!]!;
        if (b < 0) return -1;
      }
      if (b >= 0x20 && b < 0x7f) {
        if (b === 0x22 || b === 0x5c) out[o++] = 0x5c;
        out[o++] = b;
      } else if (b < 0x80) {
        o = controlEscape(out, o, b);
      } else if (b === 0xc2 && src[i + 1]! <= 0x9f) {
        // U+0080..U+009F (C1 controls): `\x80`..`\x9F`, as the encoder writes them.
        o = controlEscape(out, o, src[++i]!);
      } else if (b === 0xe2 && src[i + 1] === 0x80 && (src[i + 2] === 0xa8 || src[i + 2] === 0xa9)) {
        o = unicodeEscape(out, o, src[i + 2] === 0xa8 ? 0x2028 : 0x2029);
        i += 2;
      } else if (b === 0xef && src[i + 1] === 0xbb && src[i + 2] === 0xbf) {
        o = unicodeEscape(out, o, 0xfeff);
        i += 2;
      } else {
        out[o++] = b;
      }
    }
    out[o++] = 0x22;
    this.pos = o;
    return i;
  }

  /**
   * The integer literal of the decimal text `src[start, …)`, up to the first `delimiter`
   * byte or `end`: the text itself while the value is exact as a double, else the text
   * and `n`. Returns where it stopped, or -1 (nothing written) when the text is not
   * canonical decimal (digits, an optional leading minus, no leading zeros, not `-0`).
   */
  integerLiteral(src: Uint8Array, start: number, end: number, delimiter = -1): number {
    this.reserve(end - start + 1);
    const out = this.bytes;
    let o = this.pos;
    let i = start;
    if (src[i] === 0x2d) out[o++] = src[i++]!;
    const digits = i;
    for (; i < end; i++) {
      const b = src[i]!;
      if (b === delimiter) break;
      if (b < 0x30 || b > 0x39) return -1;
      out[o++] = b;
    }
    // NOTE: `-0` too: the value path reads it as 0.
    if (i === digits || (src[digits] === 0x30 && (i - digits > 1 || digits > start))) return -1;
    if (!isSafeDigits(src, digits, i)) out[o++] = 0x6e; // n
    this.pos = o;
    return i;
  }

  /**
   * `encodeValue(Number(text), "real")` for the decimal text `src[start, end)`, when that
   * is the text itself: written as it is, true; else false, nothing written. It is for
   * `NaN`, `Infinity`, `-Infinity`, and for a plain decimal (`-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?`,
   * no exponent, from 1e-6 up to below 1e21 in magnitude: JavaScript's plain range) that
   * is the shortest text of its double. That is certain with at most 15 significant
   * digits: two such decimals are never the same double, so no shorter one reads back to
   * it. With more digits it takes `shortest`: the source writes every double as its
   * shortest text (PostgreSQL 12 and later with extra_float_digits > 0), as JavaScript does.
   */
  realLiteralOfText(src: Uint8Array, start: number, end: number, shortest: boolean): boolean {
    let i = src[start] === 0x2d ? start + 1 : start;
    const c = src[i];
    if (c === 0x4e || c === 0x49) {
      const word = c === 0x4e ? (i === start ? NAN_TEXT : null) : INFINITY_TEXT;
      if (word === null || end - i !== word.length) return false;
      for (let k = 0; k < word.length; k++) if (src[i + k] !== word[k]) return false;
      return this.#copy(src, start, end);
    }
    const whole = i;
    while (i < end && src[i]! >= 0x30 && src[i]! <= 0x39) i++;
    const wholeDigits = i - whole;
    if (wholeDigits === 0 || wholeDigits > 21 || (src[whole] === 0x30 && wholeDigits > 1)) return false;
    let significant = src[whole] === 0x30 ? 0 : wholeDigits;
    if (i < end) {
      if (src[i] !== 0x2e) return false;
      const fraction = ++i;
      while (i < end && src[i]! >= 0x30 && src[i]! <= 0x39) i++;
      if (i !== end || i === fraction || src[end - 1] === 0x30) return false;
      if (significant > 0) significant += end - fraction;
      else {
        let first = fraction;
        while (src[first] === 0x30) first++;
        // NOTE: below 1e-6 JavaScript writes an exponent (`1e-7`).
        if (first - fraction > 5) return false;
        significant = end - first;
      }
    }
    if (significant > 15 && !shortest) return false;
    return this.#copy(src, start, end);
  }

  #copy(src: Uint8Array, start: number, end: number): true {
    this.reserve(end - start);
    const out = this.bytes;
    let o = this.pos;
    for (let k = start; k < end; k++) out[o++] = src[k]!;
    this.pos = o;
    return true;
  }

  /** `encodeValue(value, "real")`: the shortest text that reads back to the same double. */
  realLiteral(value: number): void {
    const text = encodeValue(value, "real");
    this.reserve(text.length);
    this.pos += this.bytes.write(text, this.pos, "latin1");
  }

  /**
   * `blob("<base64>")` of the bytes whose hex digits are `src[start, …)`, up to the first
   * `delimiter` byte or `end`. Returns where it stopped, or -1 (nothing written) when
   * that is not an even number of hex digits.
   */
  blobLiteralOfHex(src: Uint8Array, start: number, end: number, delimiter = -1): number {
    let stop = start;
    while (stop < end && src[stop] !== delimiter) stop++;
    const digits = stop - start;
    if (digits % 2 !== 0) return -1;
    const length = digits / 2;
    this.reserve(Math.ceil(length / 3) * 4 + 8);
    const out = this.bytes;
    let o = this.pos;
    for (let k = 0; k < BLOB_OPEN.length; k++) out[o++] = BLOB_OPEN[k]!;
    let i = start;
    for (let n = length; n >= 3; n -= 3) {
      const a = hexByte(src, i);
      const b = hexByte(src, i + 2);
      const c = hexByte(src, i + 4);
      if ((a | b | c) < 0) return -1;
      i += 6;
      out[o++] = BASE64[a >> 2]!;
      out[o++] = BASE64[((a & 3) << 4) | (b >> 4)]!;
      out[o++] = BASE64[((b & 15) << 2) | (c >> 6)]!;
      out[o++] = BASE64[c & 63]!;
    }
    const rest = length % 3;
    if (rest > 0) {
      const a = hexByte(src, i);
      const b = rest === 2 ? hexByte(src, i + 2) : 0;
      if ((a | b) < 0) return -1;
      out[o++] = BASE64[a >> 2]!;
      out[o++] = BASE64[((a & 3) << 4) | (b >> 4)]!;
      out[o++] = rest === 2 ? BASE64[(b & 15) << 2]! : 0x3d;
      out[o++] = 0x3d; // =
    }
    out[o++] = 0x22; // "
    out[o++] = 0x29; // )
    this.pos = o;
    return stop;
  }

  /** `null`, `true` or `false`. */
  keyword(word: Buffer): void {
    this.#copy(word, 0, word.length);
  }
}

/**
 * 1 for a byte a string literal keeps as it is wherever it stands: printable ASCII but the
 * quote and backslash, and the UTF-8 continuation and lead bytes that start no escaped
 * character (not 0xC2, 0xE2, 0xEF). The fast path of `stringLiteral`; the delimiter and
 * the backslash of an escape are never among them (a delimiter is a control byte here).
 */
const KEPT = (() => {
  const table = new Uint8Array(256);
  for (let b = 0x20; b < 0x7f; b++) table[b] = 1;
  for (let b = 0x80; b < 0x100; b++) table[b] = 1;
  for (const b of [0x22, 0x5c, 0xc2, 0xe2, 0xef]) table[b] = 0;
  return table;
})();

export const NULL_LITERAL = Buffer.from("null", "latin1");
const NAN_TEXT = Buffer.from("NaN", "latin1");
const INFINITY_TEXT = Buffer.from("Infinity", "latin1");
export const TRUE_LITERAL = Buffer.from("true", "latin1");
export const FALSE_LITERAL = Buffer.from("false", "latin1");
const BLOB_OPEN = Buffer.from('blob("', "latin1");

function controlEscape(out: Buffer, o: number, c: number): number {
  out[o++] = 0x5c;
  if (c === 0x0a) out[o++] = 0x6e; // \n
  else if (c === 0x0d) out[o++] = 0x72; // \r
  else if (c === 0x09) out[o++] = 0x74; // \t
  else {
    out[o++] = 0x78; // \xHH
    out[o++] = HEX_UPPER[c >> 4]!;
    out[o++] = HEX_UPPER[c & 15]!;
  }
  return o;
}

function unicodeEscape(out: Buffer, o: number, c: number): number {
  out[o++] = 0x5c;
  out[o++] = 0x75; // \uHHHH
  out[o++] = HEX_UPPER[(c >> 12) & 15]!;
  out[o++] = HEX_UPPER[(c >> 8) & 15]!;
  out[o++] = HEX_UPPER[(c >> 4) & 15]!;
  out[o++] = HEX_UPPER[c & 15]!;
  return o;
}

function hexByte(src: Uint8Array, i: number): number {
  const hi = hexDigit(src[i]);
  const lo = hexDigit(src[i + 1]);
  return hi < 0 || lo < 0 ? -1 : (hi << 4) | lo;
}
