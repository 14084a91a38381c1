import {
  type CanonicalRow,
  FIELD_BLOB,
  FIELD_ESCAPED_STRING,
  FIELD_FALSE,
  FIELD_INTEGER,
  FIELD_NULL,
  FIELD_NUMBER,
  FIELD_STRING,
  FIELD_TRUE,
} from "../../encoding/canonical-row.ts";
import { base64Digit, hexDigit } from "../../encoding/ascii-digits.ts";
import { formatFloat } from "./postgres-copy-text.ts";

/**
 * COPY text lines written as bytes straight from the fields of a canonical row line
 * (canonical-row.ts), giving byte for byte what the value path gives for the same line
 * (parse, then `fieldEncoder` and the writer's line): a string's escapes undone and
 * COPY's applied, base64 as a bytea hex literal, a double as `formatFloat` spells its
 * value, `true` as `t`, `null` as `\N`. Proven against the value path by property tests
 * (test/unit/postgres-transcoder.test.ts).
 *
 * One exception, by request (`exactDecimals`): into a float8 column a plain decimal goes
 * as it is written. float8's input rounds a decimal correctly (strtod), as `Number` does,
 * so the column gets the same double the value path gives it; only the spelling in
 * transit may differ (`1.50` rather than `1.5`). That spares the re-spelling of every
 * double with 16 or 17 digits, which is most computed ones.
 * @see https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2
 */

/** Bytes per chunk: a batch of rows is a handful of them. */
const CHUNK = 256 * 1024;
/** Longest text `formatFloat` writes (`-2.2250738585072014e-308`), with room to spare. */
const MAX_FLOAT_TEXT = 32;
/**
 * Longest decimal passed as it is (`exactDecimals`). Without an exponent, a literal this
 * short is zero or between 1e-40 and 1e40: never out of float8's range, never subnormal,
 * so the server neither refuses it nor reads it differently from `Number`.
 */
const MAX_EXACT_DECIMAL = 40;

const TAB = 0x09;
const LF = 0x0a;
const BACKSLASH = 0x5c;
const EQUALS = 0x3d;
const HEX_DIGITS = Uint8Array.from("0123456789abcdef", (c) => c.charCodeAt(0));

/** COPY text built in chunks of bytes, a line at a time. */
export class CopyBytes {
  #chunks: Buffer[] = [];
  #buffer = Buffer.allocUnsafe(CHUNK);
  #used = 0;
  readonly #exact: Uint8Array | null;

  /**
   * `exactDecimals`: per field, whether its column reads a decimal exactly as `Number`
   * does (float8), so that a plain decimal literal may go as it is (see above).
   */
  constructor(exactDecimals?: readonly boolean[]) {
    this.#exact = exactDecimals?.some(Boolean) ? Uint8Array.from(exactDecimals, Number) : null;
  }

  /**
   * Append the COPY line of a canonical row; false, with nothing appended, when a field
   * must take the value path (a NUL in a string: the encoder's rejection names it).
   */
  appendRow(row: CanonicalRow): boolean {
    // NOTE: no field grows by more than twice its literal (an escaped string, base64 as
    // hex) plus a float's text, so the whole line fits in this bound.
    this.#reserve(2 * (row.end - row.start) + MAX_FLOAT_TEXT * row.length + 1);
    const end = writeCopyLine(row, this.#buffer, this.#used, this.#exact);
    if (end < 0) return false;
    this.#used = end;
    return true;
  }

  /** Append text (a line the value path encoded, newline included) as UTF-8. */
  appendText(text: string): void {
    // NOTE: one UTF-16 code unit is at most 3 UTF-8 bytes.
    this.#reserve(3 * text.length);
    this.#used += this.#buffer.write(text, this.#used, "utf8");
  }

  /** The bytes so far, in order; empty afterwards. */
  take(): Buffer[] {
    this.#seal();
    return this.#chunks.splice(0, this.#chunks.length);
  }

  #reserve(bytes: number): void {
    if (this.#used + bytes <= this.#buffer.length) return;
    this.#seal();
    this.#buffer = Buffer.allocUnsafe(Math.max(CHUNK, bytes));
  }

  #seal(): void {
    if (this.#used === 0) return;
    this.#chunks.push(this.#buffer.subarray(0, this.#used));
    this.#buffer = this.#buffer.subarray(this.#used);
    this.#used = 0;
  }
}

/** Write the row's COPY line into `out` at `at`: the index after its newline, or -1. */
function writeCopyLine(row: CanonicalRow, out: Buffer, at: number, exact: Uint8Array | null): number {
  const { bytes, starts, ends, types } = row;
  let p = at;
  for (let k = 0; k < row.length; k++) {
    if (k > 0) out[p++] = TAB;
    const start = starts[k]!;
    const end = ends[k]!;
    switch (types[k]) {
      case FIELD_NULL:
        out[p++] = BACKSLASH;
        out[p++] = 0x4e; // N
        break;
      case FIELD_TRUE:
        out[p++] = 0x74; // t
        break;
      case FIELD_FALSE:
        out[p++] = 0x66; // f
        break;
      case FIELD_INTEGER:
      case FIELD_STRING:
        p = copy(bytes, start, end, out, p);
        break;
      case FIELD_NUMBER:
        p = exact !== null && exact[k] === 1 && isPlainDecimal(bytes, start, end) ? copy(bytes, start, end, out, p) : writeFloat(bytes, start, end, out, p);
        break;
      case FIELD_ESCAPED_STRING:
        p = writeEscapedString(bytes, start, end, out, p);
        if (p < 0) return -1;
        break;
      case FIELD_BLOB:
        p = writeBytea(bytes, start, end, out, p);
        break;
      default:
        return -1;
    }
  }
  out[p++] = LF;
  return p;
}

function copy(from: Buffer, start: number, end: number, out: Buffer, p: number): number {
  // NOTE: a loop beats Buffer#copy's call overhead on the short fields most rows have.
  if (end - start > 64) return p + from.copy(out, p, start, end);
  for (let i = start; i < end; i++) out[p++] = from[i]!;
  return p;
}

/** Whether a number literal (as canonical-row.ts found it) is a short decimal without an exponent (see MAX_EXACT_DECIMAL). */
function isPlainDecimal(from: Buffer, start: number, end: number): boolean {
  if (end - start > MAX_EXACT_DECIMAL) return false;
  for (let i = start; i < end; i++) if (from[i] === 0x65 /* e */) return false;
  return true;
}

/**
 * A double literal as `formatFloat` spells its value. `NaN`, `±Infinity` and integers of
 * at most 15 digits (`-0` included) are already spelled so; anything else is
 * formatted from `Number(text)`, the value the parser reads.
 */
function writeFloat(from: Buffer, start: number, end: number, out: Buffer, p: number): number {
  const first = from[start] === 0x2d /* - */ ? start + 1 : start;
  let digits = first;
  while (digits < end && from[digits]! >= 0x30 && from[digits]! <= 0x39) digits++;
  const c = from[first];
  if ((digits === end && end - first <= 15) || c === 0x49 /* I */ || c === 0x4e /* N */) return copy(from, start, end, out, p);
  const text = formatFloat(Number(from.toString("latin1", start, end)));
  for (let i = 0; i < text.length; i++) out[p++] = text.charCodeAt(i);
  return p;
}

/** Bytes as a bytea hex literal inside a COPY field: `\\x` and two hex digits a byte. */
function writeBytea(from: Buffer, start: number, end: number, out: Buffer, p: number): number {
  out[p++] = BACKSLASH;
  out[p++] = BACKSLASH;
  out[p++] = 0x78; // x
  for (let i = start; i < end; i += 4) {
    const a = base64Digit(from[i]!);
    const b = base64Digit(from[i + 1]!);
    p = hexByte(out, p, (a << 2) | (b >> 4));
    if (from[i + 2] === EQUALS) break;
    const c = base64Digit(from[i + 2]!);
    p = hexByte(out, p, ((b & 0x0f) << 4) | (c >> 2));
    if (from[i + 3] === EQUALS) break;
    p = hexByte(out, p, ((c & 0x03) << 6) | base64Digit(from[i + 3]!));
  }
  return p;
}

function hexByte(out: Buffer, p: number, byte: number): number {
  out[p] = HEX_DIGITS[byte >> 4]!;
  out[p + 1] = HEX_DIGITS[byte & 0x0f]!;
  return p + 2;
}

/**
 * A string with escapes or control characters: its UTF-16 code units decoded, then
 * written as COPY text (backslash, tab, newline and CR escaped; a lone surrogate as
 * U+FFFD, as the value path's UTF-8 encoding writes it). -1 for a NUL, which PostgreSQL
 * text cannot hold: the value path rejects it.
 */
function writeEscapedString(from: Buffer, start: number, end: number, out: Buffer, p: number): number {
  let high = -1; // a high surrogate escape waiting for its low half
  for (let i = start; i < end; ) {
    const c = from[i]!;
    let unit: number;
    if (c === BACKSLASH) {
      const e = from[i + 1]!;
      if (e === 0x78 /* x */) {
        unit = (hexDigit(from[i + 2]!) << 4) | hexDigit(from[i + 3]!);
        i += 4;
      } else if (e === 0x75 /* u */) {
        unit = (hexDigit(from[i + 2]!) << 12) | (hexDigit(from[i + 3]!) << 8) | (hexDigit(from[i + 4]!) << 4) | hexDigit(from[i + 5]!);
        i += 6;
      } else {
        unit = e === 0x6e /* n */ ? LF : e === 0x72 /* r */ ? 0x0d : e === 0x74 /* t */ ? TAB : e; // \" \\
        i += 2;
      }
    } else {
      // Raw bytes (a character the encoder kept, or a raw control) go as they are.
      if (high >= 0) p = writeReplacement(out, p);
      high = -1;
      if (c === 0) return -1;
      if (c === TAB) {
        out[p++] = BACKSLASH;
        out[p++] = 0x74;
      } else out[p++] = c;
      i++;
      continue;
    }
    if (high >= 0) {
      if (unit >= 0xdc00 && unit <= 0xdfff) {
        p = writeCodePoint(out, p, 0x10000 + ((high - 0xd800) << 10) + (unit - 0xdc00));
        high = -1;
        continue;
      }
      p = writeReplacement(out, p);
      high = -1;
    }
    if (unit >= 0xd800 && unit <= 0xdbff) high = unit;
    else if (unit >= 0xdc00 && unit <= 0xdfff) p = writeReplacement(out, p);
    else if (unit === 0) return -1;
    else p = writeUnit(out, p, unit);
  }
  return high >= 0 ? writeReplacement(out, p) : p;
}

/** A BMP code unit (not a surrogate) as COPY text in UTF-8. */
function writeUnit(out: Buffer, p: number, unit: number): number {
  if (unit === BACKSLASH || unit === TAB || unit === LF || unit === 0x0d) {
    out[p++] = BACKSLASH;
    out[p++] = unit === BACKSLASH ? BACKSLASH : unit === TAB ? 0x74 : unit === LF ? 0x6e : 0x72;
    return p;
  }
  if (unit < 0x80) {
    out[p++] = unit;
    return p;
  }
  return writeCodePoint(out, p, unit);
}

function writeCodePoint(out: Buffer, p: number, cp: number): number {
  if (cp < 0x80) out[p++] = cp;
  else if (cp < 0x800) {
    out[p++] = 0xc0 | (cp >> 6);
    out[p++] = 0x80 | (cp & 0x3f);
  } else if (cp < 0x10000) {
    out[p++] = 0xe0 | (cp >> 12);
    out[p++] = 0x80 | ((cp >> 6) & 0x3f);
    out[p++] = 0x80 | (cp & 0x3f);
  } else {
    out[p++] = 0xf0 | (cp >> 18);
    out[p++] = 0x80 | ((cp >> 12) & 0x3f);
    out[p++] = 0x80 | ((cp >> 6) & 0x3f);
    out[p++] = 0x80 | (cp & 0x3f);
  }
  return p;
}

/** U+FFFD, what UTF-8 encoding makes of a lone surrogate. */
function writeReplacement(out: Buffer, p: number): number {
  out[p] = 0xef;
  out[p + 1] = 0xbf;
  out[p + 2] = 0xbd;
  return p + 3;
}
