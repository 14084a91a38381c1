import type { LineScanner } from "./literal-scanner.ts";

/**
 * Numeric literals in every form JavaScript has: decimal (`12`, `.5`, `5.`, `1e3`),
 * hex/octal/binary (`0x1F`, `0o7`, `0b1`), numeric separators (`1_000`), bigint
 * (`12n`, `0x1Fn`), `NaN`, `Infinity`, with an optional sign. Validated exactly as a
 * strict-mode module would (no legacy octal `017`, no `1__0`), so that what the fast
 * reader accepts runs to the same value when imported.
 */

const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const UNDERSCORE = 0x5f;
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** The value of digit `c` in base `radix`, or -1. */
export function digitValue(c: number, radix: number): number {
  let d = 99;
  if (c >= ZERO && c <= NINE) d = c - ZERO;
  else if (c >= 0x61 && c <= 0x66) d = c - 0x61 + 10;
  else if (c >= 0x41 && c <= 0x46) d = c - 0x41 + 10;
  return d < radix ? d : -1;
}

/**
 * A numeric literal at `pos` with an optional sign (`-1.5e3`, `+0x1F`, `-12n`,
 * `-Infinity`, `NaN`): its value.
 */
export function readNumber(p: LineScanner): number | bigint {
  const c = p.peek();
  if (c !== MINUS && c !== PLUS) return unsignedNumber(p);
  const signAt = p.pos++;
  p.skipSpace();
  const value = unsignedNumber(p);
  if (typeof value === "bigint") {
    if (c === PLUS) p.fail("unary + on a bigint (a TypeError in JavaScript)", signAt);
    return -value;
  }
  return c === MINUS ? -value : value;
}

function unsignedNumber(p: LineScanner): number | bigint {
  const s = p.text;
  const start = p.pos;
  const c = s.charCodeAt(start);
  if (c === 0x49 /* I */ || c === 0x4e /* N */) {
    const word = p.word();
    if (word === "Infinity") return Infinity;
    if (word === "NaN") return NaN;
    p.fail("expected a number", start);
  }
  if (c === ZERO) {
    const radix = radixOf(s.charCodeAt(start + 1));
    if (radix !== 0) return radixNumber(p, radix);
  }
  return decimalNumber(p);
}

function radixNumber(p: LineScanner, radix: number): number | bigint {
  const start = p.pos;
  p.pos += 2;
  digits(p, radix, "expected digits after the radix prefix");
  const raw = p.text.slice(start, p.pos);
  const text = sawSeparator ? raw.replaceAll("_", "") : raw;
  if (p.peek() === 0x6e /* n */) {
    p.pos++;
    return BigInt(text);
  }
  return Number(text);
}

function decimalNumber(p: LineScanner): number | bigint {
  const s = p.text;
  const start = p.pos;
  let integral = true;
  let separators = false;
  let mantissa = 0; // the digits without the dot, exact while count <= 15
  let count = 0;
  let exponent = 0;
  if (s.charCodeAt(start) === ZERO) {
    p.pos++;
    const next = s.charCodeAt(p.pos);
    if ((next >= ZERO && next <= NINE) || next === UNDERSCORE) p.fail("leading zero (a legacy octal literal)", start);
  } else if (s.charCodeAt(start) !== DOT) {
    count = digits(p, 10, "expected a number");
    mantissa = digitsValue;
    separators = sawSeparator;
  }
  if (p.peek() === DOT) {
    integral = false;
    p.pos++;
    const next = p.peek();
    if (next >= ZERO && next <= NINE) {
      const fraction = digits(p, 10, "");
      separators ||= sawSeparator;
      if (fraction <= 15) mantissa = mantissa * POW10[fraction]! + digitsValue;
      count += fraction;
      exponent = -fraction;
    } else if (p.pos === start + 1) p.fail("expected a number", start);
  }
  if ((p.peek() | 0x20) === 0x65 /* e */) {
    integral = false;
    p.pos++;
    const sign = p.peek();
    if (sign === PLUS || sign === MINUS) p.pos++;
    const count = digits(p, 10, "expected digits in the exponent");
    separators ||= sawSeparator;
    exponent += count > 15 ? Infinity : sign === MINUS ? -digitsValue : digitsValue;
  }
  if (p.peek() === 0x6e /* n */) {
    if (!integral) p.fail("a bigint literal must be an integer", start);
    const text = s.slice(start, p.pos);
    p.pos++;
    return BigInt(separators ? text.replaceAll("_", "") : text);
  }
  // NOTE: a mantissa below 10^15 and a power of ten up to 10^22 are both exact doubles,
  // so one multiplication or division rounds exactly like parsing the text would.
  if (!separators && count <= 15 && exponent >= -22 && exponent <= 22) {
    return exponent < 0 ? mantissa / POW10[-exponent]! : mantissa * POW10[exponent]!;
  }
  const text = s.slice(start, p.pos);
  return Number(separators ? text.replaceAll("_", "") : text);
}

// Results of the last digits() call besides its count: kept in module state, not in an
// object, because this runs for every number of every row (and never re-entered).
let sawSeparator = false;
let digitsValue = 0;

/** One or more digits with single `_` separators between them: how many digits. */
function digits(p: LineScanner, radix: number, reason: string): number {
  const s = p.text;
  let i = p.pos;
  let value = 0;
  let count = 0;
  let separators = false;
  for (;;) {
    const d = digitValue(s.charCodeAt(i), radix);
    if (d < 0) {
      if (count === 0) p.fail(reason, i);
      if (s.charCodeAt(i) !== UNDERSCORE) break;
      if (digitValue(s.charCodeAt(i + 1), radix) < 0) p.fail("misplaced numeric separator", i);
      separators = true;
      i++;
      continue;
    }
    value = value * radix + d;
    count++;
    i++;
  }
  p.pos = i;
  sawSeparator = separators;
  digitsValue = value;
  return count;
}

function radixOf(c: number): number {
  switch (c | 0x20) {
    case 0x78: // x
      return 16;
    case 0x6f: // o
      return 8;
    case 0x62: // b
      return 2;
    default:
      return 0;
  }
}
