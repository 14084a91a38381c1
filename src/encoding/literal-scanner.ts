import { GenDumpError } from "../errors.ts";
import { digitValue, readNumber } from "./numeric-literal.ts";

/**
 * A scanner for the few JavaScript literal forms a data module line may hold: strings
 * (double, single or backtick quotes, every escape strict-mode JavaScript accepts except
 * line continuations), numeric literals (numeric-literal.ts), and words. It validates exactly what JavaScript would, so a line the fast
 * reader accepts means the same when imported, and everything else is a
 * {@link LiteralSyntaxError} that sends the caller to the import path.
 */

/** A line that is not one of the literal forms the fast reader understands. */
export class LiteralSyntaxError extends GenDumpError {
  constructor(
    /** Short human reason, e.g. "unterminated string". Also the message. */
    readonly reason: string,
    /** 1-based line number. */
    readonly line: number,
    /** 1-based column, in UTF-16 code units (as editors and tsc count). */
    readonly col: number,
    file?: string,
  ) {
    super("DUMP_FORMAT", reason, file === undefined ? { line, col } : { file, line, col });
    Object.defineProperty(this, "name", { value: "LiteralSyntaxError" });
  }
}

/**
 * A well-formed literal of the wrong kind for its column (`"lots"` where an INTEGER is
 * expected): what `tsc` over the dump flags. Not a syntax error, so the caller does not
 * fall back to importing the module.
 */
export class LiteralKindError extends GenDumpError {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly col: number,
    /** 0-based index of the column in the module's column list. */
    readonly columnIndex: number,
    file?: string,
  ) {
    super("DUMP_TYPE", reason, file === undefined ? { line, col } : { file, line, col });
    Object.defineProperty(this, "name", { value: "LiteralKindError" });
  }
}

// Char codes used below.
const TAB = 0x09;
const SPACE = 0x20;
const CR = 0x0d;
const DOLLAR = 0x24;
const ZERO = 0x30;
const NINE = 0x39;
const BACKSLASH = 0x5c;
const UNDERSCORE = 0x5f;
const BACKTICK = 0x60;
const OPEN_BRACE = 0x7b;

/** Whitespace JavaScript allows between tokens, line terminators excluded. */
function isSpace(c: number): boolean {
  if (c === SPACE || c === TAB) return true;
  if (c < 0xa0) return c === 0x0b || c === 0x0c;
  return c === 0xa0 || c === 0xfeff || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** `[A-Za-z0-9_$]`: what may not follow a number, and what a bare word is made of. */
export function isWordChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= ZERO && c <= NINE) || c === UNDERSCORE || c === DOLLAR;
}


function simpleEscape(c: number): string | undefined {
  switch (c) {
    case 0x6e:
      return "\n";
    case 0x74:
      return "\t";
    case 0x72:
      return "\r";
    case 0x62:
      return "\b";
    case 0x66:
      return "\f";
    case 0x76:
      return "\v";
    default:
      return undefined;
  }
}

/**
 * A cursor over one line: `text` from `start` to `end` (the line may sit inside a larger
 * decoded chunk, which is read in place: slicing every line would cost an allocation
 * and an indirection on every character). Methods advance `pos` past what they read and
 * throw a {@link LiteralSyntaxError} pointing at the offending character otherwise.
 */
export class LineScanner {
  text = "";
  start = 0;
  end = 0;
  pos = 0;
  lineNo = 0;

  // Next backslash and CR in `text` at or after the last string's start (text.length
  // when none): found once per chunk, not once per string, so that scanning stays linear.
  // Valid while lines move forward through the same text.
  private backslashAt = -1;
  private crAt = -1;

  reset(text: string, lineNo: number, start = 0, end: number = text.length): this {
    if (text !== this.text || start < this.end) {
      this.backslashAt = -1;
      this.crAt = -1;
    }
    this.text = text;
    this.start = start;
    this.end = end;
    this.pos = start;
    this.lineNo = lineNo;
    return this;
  }

  fail(reason: string, at: number = this.pos): never {
    throw new LiteralSyntaxError(reason, this.lineNo, at - this.start + 1);
  }

  /** The char code at `pos` (NaN at the end of the line). */
  peek(): number {
    return this.pos < this.end ? this.text.charCodeAt(this.pos) : NaN;
  }

  skipSpace(): void {
    const s = this.text;
    let i = this.pos;
    let c = s.charCodeAt(i);
    // Printable ASCII is never a space: the common case returns after one compare.
    while (c <= SPACE || c >= 0xa0 ? isSpace(c) : false) c = s.charCodeAt(++i);
    this.pos = i;
  }

  /** Whether only spaces and an optional `//` comment are left. */
  atLineEnd(): boolean {
    this.skipSpace();
    const s = this.text;
    if (this.pos >= this.end) return true;
    if (s.charCodeAt(this.pos) !== 0x2f || this.pos + 1 >= this.end || s.charCodeAt(this.pos + 1) !== 0x2f) return false;
    // NOTE: CR, U+2028 and U+2029 end a `//` comment in JavaScript: what follows them
    // would run, so such a line is not the comment it looks like.
    for (let i = this.pos + 2; i < this.end; i++) {
      const c = s.charCodeAt(i);
      if (c === CR || c === 0x2028 || c === 0x2029) this.fail("line terminator inside a comment", i);
    }
    return true;
  }

  expect(char: string, what: string): void {
    this.skipSpace();
    if (this.pos >= this.end || this.text[this.pos] !== char) this.fail(`expected ${what}`);
    this.pos++;
  }

  /** A run of `[A-Za-z0-9_$]` (empty when none). */
  word(): string {
    const s = this.text;
    const start = this.pos;
    let i = start;
    while (i < this.end && isWordChar(s.charCodeAt(i))) i++;
    this.pos = i;
    return s.slice(start, i);
  }

  /** A numeric literal at `pos`, sign included (see numeric-literal.ts): its value. */
  signedNumber(): number | bigint {
    return readNumber(this);
  }

  /** A string literal at `pos` (quote included): its value. */
  string(): string {
    const s = this.text;
    const open = this.pos;
    const quote = s[open]!;
    const end = s.indexOf(quote, open + 1);
    if (end < 0 || end >= this.end) this.fail("unterminated string (a string must end on its line)", open);
    if (this.backslashAt <= open) this.backslashAt = nextIndex(s, "\\", open);
    if (this.backslashAt > end) {
      if (this.crAt <= open) this.crAt = nextIndex(s, "\r", open);
      if (this.crAt < end) this.fail("line break inside a string", this.crAt);
      const value = s.slice(open + 1, end);
      if (quote === "`" && value.indexOf("${") >= 0) this.fail("template literal with a ${...} substitution", open + 1 + value.indexOf("${"));
      this.pos = end + 1;
      return value;
    }
    return this.escapedString(open);
  }

  private escapedString(open: number): string {
    const s = this.text;
    const quote = s.charCodeAt(open);
    let out = "";
    let from = open + 1;
    let i = from;
    for (; i < this.end; i++) {
      const c = s.charCodeAt(i);
      if (c === quote) {
        this.pos = i + 1;
        return out + s.slice(from, i);
      }
      if (c === CR) this.fail("line break inside a string", i);
      if (c === DOLLAR && quote === BACKTICK && s.charCodeAt(i + 1) === OPEN_BRACE) this.fail("template literal with a ${...} substitution", i);
      if (c !== BACKSLASH) continue;
      out += s.slice(from, i);
      i = this.escape(i);
      out += this.escaped;
      from = i + 1;
    }
    return this.fail("unterminated string (a string must end on its line)", open);
  }

  private escaped = "";

  /** Read the escape at `at` (a backslash) into `escaped`; returns the index of its last char. */
  private escape(at: number): number {
    const s = this.text;
    const c = s.charCodeAt(at + 1);
    const simple = simpleEscape(c);
    if (simple !== undefined) {
      this.escaped = simple;
      return at + 1;
    }
    if (c === ZERO && !(s.charCodeAt(at + 2) >= ZERO && s.charCodeAt(at + 2) <= NINE)) {
      this.escaped = "\0";
      return at + 1;
    }
    if (c >= ZERO && c <= NINE) this.fail("octal escape (not allowed in modules)", at);
    if (c === 0x78 /* x */) return this.hexEscape(at, 2);
    if (c === 0x75 /* u */) {
      return s.charCodeAt(at + 2) === OPEN_BRACE ? this.codePointEscape(at) : this.hexEscape(at, 4);
    }
    if (at + 1 >= this.end || c === CR || c === 0x0a || c === 0x2028 || c === 0x2029) {
      this.fail("line continuation inside a string", at);
    }
    this.escaped = s[at + 1]!; // an identity escape such as \' \" \\ \/ \a
    return at + 1;
  }

  private hexEscape(at: number, digits: number): number {
    let value = 0;
    for (let k = 0; k < digits; k++) {
      const d = digitValue(this.text.charCodeAt(at + 2 + k), 16);
      if (d < 0) this.fail("malformed escape sequence", at);
      value = value * 16 + d;
    }
    this.escaped = String.fromCharCode(value);
    return at + 1 + digits;
  }

  private codePointEscape(at: number): number {
    const s = this.text;
    let i = at + 3;
    let value = 0;
    for (; i < this.end && s.charCodeAt(i) !== 0x7d; i++) {
      const d = digitValue(s.charCodeAt(i), 16);
      if (d < 0) this.fail("malformed escape sequence", at);
      value = value * 16 + d;
      if (value > 0x10ffff) this.fail("code point escape above U+10FFFF", at);
    }
    if (i >= this.end || i === at + 3) this.fail("malformed escape sequence", at);
    this.escaped = String.fromCodePoint(value);
    return i;
  }
}

function nextIndex(s: string, char: string, from: number): number {
  const at = s.indexOf(char, from);
  return at < 0 ? s.length : at;
}

/**
 * Decode standard padded base64, or return null when `text` is not exactly the
 * canonical encoding of some bytes (Buffer alone would skip bad characters silently).
 */
export function decodeBase64(text: string): Uint8Array | null {
  const buffer = Buffer.from(text, "base64");
  if (buffer.toString("base64") !== text) return null;
  return new Uint8Array(buffer);
}
