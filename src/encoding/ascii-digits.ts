/**
 * Digits of the literal forms the byte-level readers and writers share (literal-bytes.ts,
 * canonical-row.ts, and the PostgreSQL COPY text code): hex and base64 digit values, the
 * base64 alphabet, and the bound of a plain integer literal. One table each, read by
 * byte value.
 */

/** The standard base64 alphabet, as bytes (what `Buffer#toString("base64")` writes). */
export const BASE64_ALPHABET = Buffer.from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", "latin1");

const HEX_VALUES = new Int8Array(256).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX_VALUES["0123456789abcdef".charCodeAt(i)] = i;
  HEX_VALUES["0123456789ABCDEF".charCodeAt(i)] = i;
}

const BASE64_VALUES = new Int8Array(256).fill(-1);
for (let i = 0; i < 64; i++) BASE64_VALUES[BASE64_ALPHABET[i]!] = i;

/** The value of the hex digit byte `c` (either case), or -1 (also for undefined: past the end). */
export function hexDigit(c: number | undefined): number {
  return c === undefined ? -1 : HEX_VALUES[c]!;
}

/** The value of the base64 digit byte `c`, or -1. */
export function base64Digit(c: number): number {
  return BASE64_VALUES[c]!;
}

/** "9007199254740991" (2^53 - 1): the largest integer a plain number literal holds exactly. */
const MAX_SAFE_DIGITS = Buffer.from(String(Number.MAX_SAFE_INTEGER), "latin1");

/** Whether the decimal digits `b[start, end)` (no sign, no leading zeros) are at most 2^53 - 1. */
export function isSafeDigits(b: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  if (length !== MAX_SAFE_DIGITS.length) return length < MAX_SAFE_DIGITS.length;
  for (let i = 0; i < length; i++) {
    const d = b[start + i]! - MAX_SAFE_DIGITS[i]!;
    if (d !== 0) return d < 0;
  }
  return true;
}
