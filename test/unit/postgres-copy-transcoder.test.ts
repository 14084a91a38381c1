import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CopyTranscoder } from "../../src/dialects/postgres/postgres-copy-transcoder.ts";
import { escapeCopyText, formatFloat, unescapeBytes, unescapeField } from "../../src/dialects/postgres/postgres-copy-text.ts";
import { copyLineReader } from "../../src/dialects/postgres/postgres-reader.ts";
import { encodeRow, encodeValue } from "../../src/encoding/literal-encoder.ts";
import type { TableSchema } from "../../src/model/schema-model.ts";
import { type DumpValue, RawText, type ValueKind } from "../../src/model/values.ts";
import { bigintArb, doubleArb, stringArb } from "../support/value-arbitraries.ts";

/** Only what the reader reads of a table. */
function tableOf(kinds: readonly ValueKind[]): TableSchema {
  const columns = kinds.map((kind, i) => ({ name: `c${i}`, kind, generated: null }));
  return { key: "public.t", schema: "public", name: "t", rowidColumn: null, columns } as unknown as TableSchema;
}

/** The value path: parse the COPY line into values and encode them; or the error it throws. */
function valuePath(line: Buffer, kinds: readonly ValueKind[]): string | Error {
  try {
    return encodeRow(copyLineReader(tableOf(kinds))(line, 0, line.length), kinds) + "\n";
  } catch (error) {
    return error as Error;
  }
}

/** The transcoder on one line: its text and its key literals, or the error it throws. */
function transcoded(line: Buffer, kinds: readonly ValueKind[], keys: readonly number[]): { text: string; keyTexts: string[] } | Error {
  const t = new CopyTranscoder(kinds, keys, copyLineReader(tableOf(kinds)));
  try {
    t.line(line, 0, line.length, false);
  } catch (error) {
    return error as Error;
  }
  const b = t.batch();
  const keyTexts = keys.map((_, k) => b.bytes.toString("utf8", b.keySpans[2 * k]!, b.keySpans[2 * k + 1]!));
  return { text: b.bytes.toString("utf8", 0, b.lineEnds[0]!), keyTexts };
}

/** COPY's text for a field as PostgreSQL writes it, with the odd spelling a hand or another server may use. */
const PG_KINDS: ValueKind[] = ["integer", "real", "boolean", "text", "blob"];
function fieldArb(kind: ValueKind): fc.Arbitrary<string> {
  const odd = fc.constantFrom("", "007", "-0", "1x", "t", "f", "\\x", "\\\\x0", "\\\\xzz", "\\101", "\\x41", "\\a", "a\\", "\\N", "1e+20", "NaN", "-Infinity");
  const usual: Record<string, fc.Arbitrary<string>> = {
    integer: bigintArb.map(String),
    real: doubleArb.map(formatFloat),
    boolean: fc.constantFrom("t", "f"),
    blob: fc.uint8Array({ maxLength: 20 }).map((b) => `\\\\x${Buffer.from(b).toString("hex")}`),
    text: fc.oneof(
      stringArb.map((s) => escapeCopyText(s)),
      // The escapes COPY FROM reads but COPY TO does not write.
      fc.array(fc.constantFrom("\\b", "\\f", "\\v", "\\n", "\\\\", "\\q", "\\\u00e9", "\\101", "\\x41", "\\x4", "x"), { maxLength: 6 }).map((p) => p.join("")),
    ),
  };
  return fc.oneof({ weight: 6, arbitrary: usual[kind]! }, { weight: 1, arbitrary: odd }, { weight: 1, arbitrary: fc.constant("\\N") });
}

const lineArb = fc
  .array(fc.constantFrom(...PG_KINDS), { maxLength: 6 })
  .chain((kinds) => fc.tuple(fc.constant(kinds), fc.tuple(...kinds.map(fieldArb)), fc.subarray(kinds.map((_, i) => i))));

function sameOutcome(line: Buffer, kinds: readonly ValueKind[], keys: readonly number[]): void {
  const expected = valuePath(line, kinds);
  const actual = transcoded(line, kinds, keys);
  if (expected instanceof Error) {
    expect(actual).toBeInstanceOf(Error);
    expect((actual as Error).message).toBe(expected.message);
    return;
  }
  expect(actual).not.toBeInstanceOf(Error);
  const { text, keyTexts } = actual as { text: string; keyTexts: string[] };
  expect(text).toBe(expected);
  const row = copyLineReader(tableOf(kinds))(line, 0, line.length);
  expect(keyTexts).toEqual(keys.map((k) => encodeValue(row[k] as DumpValue, kinds[k]!)));
}

describe("CopyTranscoder writes what parsing and encoding the values writes", () => {
  it("for COPY lines of every kind, odd spellings and escapes included, with the key literals located", () => {
    fc.assert(
      fc.property(lineArb, ([kinds, fields, keys]) => sameOutcome(Buffer.from(fields.join("\t"), "utf8"), kinds, keys)),
      { numRuns: 3000 },
    );
  });

  it("for arbitrary bytes (invalid UTF-8, stray tabs and backslashes): the same line or the same error", () => {
    const byteArb = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x09, 0x5c, 0x4e, 0xc2, 0x85, 0xe2, 0x80, 0xa8, 0xef, 0xbb, 0xbf));
    fc.assert(
      fc.property(fc.array(byteArb, { maxLength: 30 }), fc.array(fc.constantFrom(...PG_KINDS), { minLength: 1, maxLength: 4 }), (bytes, kinds) => {
        const line = Buffer.from(bytes.filter((b) => b !== 0x0a));
        sameOutcome(line, kinds, [0]);
      }),
      { numRuns: 3000 },
    );
  });

  it("edge cases COPY TO never writes but the value path reads", () => {
    const text: ValueKind[] = ["text", "text"];
    for (const line of ["a\\\tb", "\\N\tx", "\\101\t\\x41", "\\\t", "\\", "a\t\\"]) sameOutcome(Buffer.from(line), text, [0, 1]);
    expect(transcoded(Buffer.from("a\\\tb"), text, [])).toMatchObject({ text: '["a\\\\", "b"],\n' });
  });

  it("keeps the exact bytes of a text field that is not UTF-8 (a SQL_ASCII database) as rawText", () => {
    const kinds: ValueKind[] = ["integer", "text", "text"];
    // caf\xe9, an escaped tab and an octal escape of a lone byte; the third field is UTF-8.
    const line = Buffer.concat([Buffer.from("7\tcaf"), Buffer.from([0xe9]), Buffer.from("\\t\\351\tna\u00efve")]);
    const row = copyLineReader(tableOf(kinds))(line, 0, line.length);
    expect(row[0]).toBe(7n);
    expect(row[1]).toBeInstanceOf(RawText);
    expect([...(row[1] as RawText).bytes]).toEqual([0x63, 0x61, 0x66, 0xe9, 0x09, 0xe9]);
    expect(row[2]).toBe("na\u00efve");
    expect(transcoded(line, kinds, [1])).toEqual({ text: `[7, rawText("Y2Fm6Qnp"), "na\u00efve"],\n`, keyTexts: ['rawText("Y2Fm6Qnp")'] });
  });

  it("a table without columns: one empty line is one row", () => {
    sameOutcome(Buffer.alloc(0), [], []);
    expect(transcoded(Buffer.alloc(0), [], [])).toEqual({ text: "[],\n", keyTexts: [] });
  });

  it("names the table when COPY sends another number of fields", () => {
    const result = transcoded(Buffer.from("1\t2"), ["integer"], []);
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toMatch(/public\.t.*2 fields for 1 columns/);
  });
});

describe("unescapeBytes", () => {
  it("decodes COPY's escapes into the bytes unescapeField gives as Latin-1 characters", () => {
    const piece = fc.oneof(fc.constantFrom("\\", "\\\\", "\\n", "\\t", "\\b", "\\f", "\\v", "\\r", "\\0", "\\12", "\\377", "\\400", "\\x", "\\x4", "\\x4a", "\\xg", "\\q", "\\\u00e9"), fc.string({ unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 4 }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), (parts) => {
        const field = parts.join("");
        expect(unescapeBytes(Buffer.from(field, "latin1"))).toEqual(Buffer.from(unescapeField(field), "latin1"));
      }),
      { numRuns: 3000 },
    );
  });
});
