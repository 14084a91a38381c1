import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LiteralByteWriter } from "../../src/encoding/literal-bytes.ts";
import { encodeString, encodeValue } from "../../src/encoding/literal-encoder.ts";
import { bigintArb, doubleArb, stringArb } from "../support/value-arbitraries.ts";

/** What a writer wrote, as text. */
function written(write: (w: LiteralByteWriter) => unknown): string {
  const w = new LiteralByteWriter(8);
  write(w);
  return w.bytes.toString("utf8", 0, w.pos);
}

/** A string as it survives UTF-8 (lone surrogates become U+FFFD): what a UTF-8 source can hold. */
const wellFormed = stringArb.map((s) => Buffer.from(s, "utf8").toString("utf8"));

describe("LiteralByteWriter writes the literal encoder's text from UTF-8", () => {
  it("strings: the bytes of encodeString, stopping at the delimiter", () => {
    fc.assert(
      fc.property(wellFormed, fc.string(), (s, after) => {
        const src = Buffer.from(s, "utf8");
        expect(written((w) => w.stringLiteral(src, 0, src.length))).toBe(encodeString(s));
        const withTail = Buffer.concat([src, Buffer.from(`\u0001${after}`)]);
        let stop = -2;
        expect(written((w) => (stop = w.stringLiteral(withTail, 0, withTail.length, 0x01)))).toBe(encodeString(s.split("\u0001")[0]!));
        expect(stop).toBe(withTail.indexOf(0x01));
      }),
      { numRuns: 2000 },
    );
  });

  it("strings with backslash escapes decode them through the table, and decline the ones it marks -1", () => {
    const escapes = new Int16Array(256);
    for (let c = 0; c < 256; c++) escapes[c] = c;
    escapes["n".charCodeAt(0)] = 0x0a;
    escapes["q".charCodeAt(0)] = -1;
    expect(written((w) => w.stringLiteral(Buffer.from('a\\nb\\\\c\\"'), 0, 9, -1, escapes))).toBe(encodeString('a\nb\\c"'));
    const w = new LiteralByteWriter(8);
    expect(w.stringLiteral(Buffer.from("a\\qb"), 0, 4, -1, escapes)).toBe(-1);
    expect(w.stringLiteral(Buffer.from("ab\\"), 0, 3, -1, escapes)).toBe(-1);
    expect(w.pos).toBe(0);
  });

  it("integers: the text, with n past 2^53 - 1, exactly as encodeValue", () => {
    fc.assert(
      fc.property(bigintArb, (v) => {
        const src = Buffer.from(`${v}\tjunk`);
        let stop = -2;
        expect(written((w) => (stop = w.integerLiteral(src, 0, src.length, 0x09)))).toBe(encodeValue(v, "integer"));
        expect(stop).toBe(String(v).length);
      }),
      { numRuns: 2000 },
    );
  });

  it("declines integer text that is not canonical decimal", () => {
    for (const text of ["", "-", "007", "-0", "+1", "1.0", "1e3", " 1", "0x10", "١"]) {
      const w = new LiteralByteWriter(8);
      expect(w.integerLiteral(Buffer.from(text), 0, Buffer.byteLength(text)), text).toBe(-1);
      expect(w.pos).toBe(0);
    }
  });

  it("doubles: encodeValue's shortest text", () => {
    fc.assert(
      fc.property(doubleArb, (v) => {
        expect(written((w) => w.realLiteral(v))).toBe(encodeValue(v, "real"));
      }),
      { numRuns: 2000 },
    );
  });

  /** Texts of a double as sources write them: every precision, fixed and exponent forms, padding, junk. */
  const decimalText = fc.oneof(
    doubleArb.map(String),
    fc.tuple(doubleArb, fc.integer({ min: 1, max: 21 })).map(([v, p]) => (Number.isFinite(v) ? v.toPrecision(p) : String(v))),
    fc.tuple(doubleArb, fc.integer({ min: 0, max: 20 })).map(([v, d]) => (Number.isFinite(v) && Math.abs(v) < 1e21 ? v.toFixed(d) : String(v))),
    fc.tuple(doubleArb, fc.integer({ min: 0, max: 20 })).map(([v, d]) => (Number.isFinite(v) ? v.toExponential(d) : String(v))),
    fc.stringMatching(/^-?[0-9]{1,25}(\.[0-9]{0,25})?$/),
    fc.constantFrom("NaN", "-NaN", "Infinity", "-Infinity", "infinity", "0", "-0", "00", "0.0", "1.", ".5", "+1", "1e5", "0.000001", "0.0000001", "1e21", "100000000000000000000", "1000000000000000000000", "0.1000000000000000055511151231257827"),
  );

  it("doubles from text: as is only when that is encodeValue's text of the value, whatever the text", () => {
    fc.assert(
      fc.property(decimalText, (text) => {
        const w = new LiteralByteWriter(8);
        const bytes = Buffer.from(text, "latin1");
        if (w.realLiteralOfText(bytes, 0, bytes.length, false)) expect(w.bytes.toString("latin1", 0, w.pos), text).toBe(encodeValue(Number(text), "real"));
        else expect(w.pos).toBe(0);
      }),
      { numRuns: 5000 },
    );
  });

  it("doubles from text: takes JavaScript's own shortest texts in the plain range, long ones when told they are shortest", () => {
    fc.assert(
      fc.property(doubleArb, (v) => {
        const text = encodeValue(v, "real");
        const bytes = Buffer.from(text, "latin1");
        const plain = !text.includes("e");
        const digits = text.replace(/^-?0*\.?0*/, "").replace(".", "").length;
        expect(new LiteralByteWriter(8).realLiteralOfText(bytes, 0, bytes.length, false), text).toBe(plain && digits <= 15);
        const w = new LiteralByteWriter(8);
        expect(w.realLiteralOfText(bytes, 0, bytes.length, true), text).toBe(plain);
        if (plain) expect(w.bytes.toString("latin1", 0, w.pos)).toBe(text);
      }),
      { numRuns: 3000 },
    );
  });

  it("blobs from hex digits of either case: encodeValue's blob(base64)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), fc.boolean(), (bytes, upper) => {
        const hex = Buffer.from(bytes).toString("hex");
        const src = Buffer.from(`${upper ? hex.toUpperCase() : hex}\t00`);
        let stop = -2;
        expect(written((w) => (stop = w.blobLiteralOfHex(src, 0, src.length, 0x09)))).toBe(encodeValue(bytes, "blob"));
        expect(stop).toBe(hex.length);
      }),
      { numRuns: 1000 },
    );
    for (const text of ["0", "abc", "0g", "zz00", "12 4"]) expect(new LiteralByteWriter(8).blobLiteralOfHex(Buffer.from(text), 0, text.length), text).toBe(-1);
  });
});
