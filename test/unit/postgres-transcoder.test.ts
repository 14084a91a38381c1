import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { TranscodedRows } from "../../src/dialects/dialect.ts";
import type { PgSession } from "../../src/dialects/postgres/postgres-connection.ts";
import { CopyBytes } from "../../src/dialects/postgres/postgres-copy-bytes.ts";
import { encodeCopyLine, fieldEncoder } from "../../src/dialects/postgres/postgres-copy-encoder.ts";
import { PostgresRowTranscoder } from "../../src/dialects/postgres/postgres-transcoder.ts";
import { PostgresTarget } from "../../src/dialects/postgres/postgres-writer.ts";
import { CanonicalRow } from "../../src/encoding/canonical-row.ts";
import { encodeRow, encodeString, encodeValue } from "../../src/encoding/literal-encoder.ts";
import { parseRowLine, readDataModule } from "../../src/encoding/literal-reader.ts";
import { GenDumpError } from "../../src/errors.ts";
import type { TableSchema } from "../../src/model/schema-model.ts";
import { type DumpValue, RawText, type ValueKind } from "../../src/model/values.ts";
import { NASTY_PIECES, bigintArb, doubleArb, rowArb, stringArb, valueArb } from "../support/value-arbitraries.ts";

/**
 * The transcoder (a canonical row line straight to COPY text) against the value path it
 * replaces (parse the line, encode each value with the writer's field encoders, join
 * the fields): for every line, the same bytes, or it declines and the value path is used.
 */

const RUNS = { numRuns: 3000 };
const UTF8 = new TextDecoder("utf-8", { ignoreBOM: true });
const TRANSCODED: readonly ValueKind[] = ["integer", "real", "boolean", "text", "blob"];

/** COPY text of a line by the value path (as the reader decodes the line's bytes); null when it fails or a value is refused. */
function valuePath(bytes: Buffer, kinds: readonly ValueKind[]): Buffer | null {
  let row: DumpValue[];
  try {
    row = parseRowLine(UTF8.decode(bytes), kinds, 1);
  } catch {
    return null;
  }
  const line = encodeCopyLine(row, kinds.map((_, i) => i), kinds.map((k) => fieldEncoder(k)));
  return typeof line === "string" ? Buffer.from(`${line}\n`, "utf8") : null;
}

/** COPY text of a line by the transcoder; null when it declines. */
function transcode(bytes: Buffer, kinds: readonly ValueKind[]): Buffer | null {
  const row = new CanonicalRow(kinds);
  if (!row.scan(bytes, 0, bytes.length)) return null;
  const out = new CopyBytes();
  return out.appendRow(row) ? Buffer.concat(out.take()) : null;
}

/** The transcoder's bytes equal the value path's, or it declines; returns whether it took the line. */
function agrees(line: string, kinds: readonly ValueKind[]): boolean {
  const bytes = Buffer.from(line, "utf8");
  const fast = transcode(bytes, kinds);
  if (fast === null) return true;
  const slow = valuePath(bytes, kinds);
  expect(slow, `the value path refuses what the transcoder took: ${line}`).not.toBeNull();
  expect(fast.toString("latin1"), line).toBe(slow!.toString("latin1"));
  return true;
}

/** Whether the encoder writes `value` in a column of `kind` as the column's plain literal (or null). */
function plainIn(value: DumpValue, kind: ValueKind): boolean {
  if (value === null) return true;
  switch (kind) {
    case "integer":
      return typeof value === "bigint";
    case "real":
      return typeof value === "number";
    case "text":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "blob":
      return value instanceof Uint8Array;
    default:
      return false;
  }
}

const transcodedKindArb = fc.constantFrom(...TRANSCODED);

/** A value of a column's own kind, so that the encoder writes its plain literal. */
function ownValueArb(kind: ValueKind): fc.Arbitrary<DumpValue> {
  const own: Record<string, fc.Arbitrary<DumpValue>> = {
    integer: bigintArb,
    real: doubleArb,
    text: stringArb,
    boolean: fc.boolean(),
    blob: fc.uint8Array({ maxLength: 40 }),
  };
  return fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 5, arbitrary: own[kind]! }, { weight: 1, arbitrary: valueArb });
}

/** Rows mostly of their columns' kinds, with some values of other kinds (tags). */
const ownRowArb = fc
  .array(transcodedKindArb.chain((kind) => ownValueArb(kind).map((value) => [value, kind] as const)), { maxLength: 8 })
  .map((cells) => ({ row: cells.map((c) => c[0]), kinds: cells.map((c) => c[1]) }));

describe("transcoder vs value path: lines the encoder writes", () => {
  it("golden example", () => {
    const kinds: ValueKind[] = ["integer", "text", "real", "boolean", "integer", "blob", "integer", "text"];
    const line = '[1, "a\\"b\\\\c\\td", 3.5, true, null, blob("AAE="), 12345678901234567890n, "\\u2028\\x00"],';
    expect(transcode(Buffer.from(line), kinds.slice(0, 7))).toBeNull(); // 8 fields for 7 kinds
    const seven = line.replace(', "\\u2028\\x00"]', "]");
    expect(transcode(Buffer.from(seven), kinds.slice(0, 7))?.toString()).toBe("1\ta\"b\\\\c\\td\t3.5\tt\t\\N\t\\\\x0001\t12345678901234567890\n");
    // A NUL (here \x00) has no COPY text: declined, the value path refuses it with its own message.
    expect(transcode(Buffer.from(line), kinds)).toBeNull();
    expect(transcode(Buffer.from("[],"), [])?.toString()).toBe("\n");
    expect(transcode(Buffer.from("[-0, 1e+21, 0.1, -Infinity, NaN, 5e-324],"), Array(6).fill("real"))?.toString()).toBe("-0\t1e+21\t0.1\t-Infinity\tNaN\t5e-324\n");
    expect(transcode(Buffer.from('["\\uD83D\\uDE00 \\uD800 \\uDC00"],'), ["text"])?.toString("hex")).toBe("f09f988020efbfbd20efbfbd0a");
  });

  it("every canonical line of transcoded kinds is taken exactly when its values are plain literals without NUL, and gives the value path's bytes", () => {
    let taken = 0;
    fc.assert(
      fc.property(ownRowArb, ({ row, kinds }) => {
        const line = encodeRow(row, kinds);
        const fast = transcode(Buffer.from(line, "utf8"), kinds);
        const plain = row.every((v, i) => plainIn(v, kinds[i]!) && !(typeof v === "string" && v.includes("\0")));
        expect(fast !== null, `taken: ${line}`).toBe(plain);
        if (fast !== null) taken++;
        return agrees(line, kinds);
      }),
      RUNS,
    );
    expect(taken).toBeGreaterThan(RUNS.numRuns / 3);
  });

  it("rows of any kinds and values (any columns, tags, RawText) are declined or agree", () => {
    fc.assert(fc.property(rowArb, ({ row, kinds }) => agrees(encodeRow(row, kinds), kinds)), RUNS);
  });

  it("strings made of adversarial pieces agree byte for byte", () => {
    const nasty = fc.array(fc.constantFrom(...NASTY_PIECES, "\\N", "\\.", "\t\t", "\x00", "\u2028"), { minLength: 1, maxLength: 10 }).map((p) => p.join(""));
    fc.assert(
      fc.property(nasty, (s) => {
        const line = encodeRow([s, s], ["text", "text"]);
        agrees(line, ["text", "text"]);
        // Without a NUL the encoder's own line is always taken.
        return s.includes("\0") || transcode(Buffer.from(line, "utf8"), ["text", "text"]) !== null;
      }),
      RUNS,
    );
  });
});

/** Hand-typed numbers whose digits are not the shortest form of their value (or are past 2^53 without `n`). */
const LONG_NUMBERS = ["9007199254740993", "-9007199254740993", "12345678901234567", "72057594037927936", "90071992547409930", "0.1000000000000000055511151231257827", "2.2250738585072011e-308", "1e+400", "-1e-400"];

/** Other spellings of a value's literal: some mean the same, some do not parse, some are of another kind. */
function spellingsOf(value: DumpValue, kind: ValueKind): string[] {
  const canonical = encodeValue(value, kind);
  const out = [canonical, `${canonical} `, ` ${canonical}`];
  if (kind === "integer" || kind === "real") out.push(...LONG_NUMBERS);
  if (typeof value === "bigint") {
    const abs = value < 0n ? -value : value;
    const sign = value < 0n ? "-" : "";
    out.push(`${value}n`, `${value}`, `int(${value}n)`, `${sign}0x${abs.toString(16)}`, `${value}.0`, `${value}e0`, `+${abs}`, `${sign}0${abs}`);
    if (abs > 999n) out.push(`${value}`.replace(/(\d)(\d{3})$/, "$1_$2"));
    if (value === 0n) out.push("-0", "-0n", "00");
  }
  if (typeof value === "number") {
    const text = encodeValue(value, "real");
    out.push(text.toUpperCase(), `real(${text})`, `+${text}`, text.replace("e+", "e"), `${text}0`, text.replace(/^0\./, "."), text.replace(/^-0\./, "-."));
    if (Number.isFinite(value)) out.push(value.toExponential(), `${value.toPrecision(17)}`, `${text}n`, `-${text}`, String(BigInt(Math.trunc(value))));
    if (Number.isNaN(value)) out.push("-NaN");
  }
  if (typeof value === "string") {
    const body = encodeString(value).slice(1, -1);
    out.push(`'${body.replaceAll("'", "\\'").replaceAll('\\"', '"')}'`, `\`${body}\``, `text(${encodeString(value)})`, JSON.stringify(value), `"${escapeAll(value)}"`);
    out.push(`"${body.replaceAll("\\t", "\t")}"`, `"${body.replace(/\\x([0-9A-F]{2})/g, (_, h: string) => `\\x${h.toLowerCase()}`)}"`, `"${body.replaceAll("\\x00", "\\0")}"`);
  }
  if (typeof value === "boolean") out.push(`bool(${value})`, value ? "True" : "False", value ? "1" : "0");
  if (value instanceof Uint8Array) {
    const b64 = Buffer.from(value).toString("base64");
    out.push(`blob('${b64}')`, `blob( "${b64}")`, `blob("${b64.replace(/=+$/, "")}")`, `blob("${b64}"),`, `rawText("${b64}")`, `blob("${b64.replace(/.(=*)$/, "B$1")}")`);
  }
  if (value === null) out.push("undefined", "NULL");
  return out;
}

/** Every UTF-16 code unit beyond ASCII, and quote, backslash and controls, as `\uXXXX` (pairs too). */
function escapeAll(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c ? `\\u${c.toString(16).padStart(4, "0")}` : s[i];
  }
  return out;
}

const lineArb = ownRowArb.chain(({ row, kinds }) =>
  fc
    .tuple(
      fc.tuple(...row.map((v, i) => fc.constantFrom(...spellingsOf(v, kinds[i]!)))),
      fc.constantFrom(", ", ", ", ", ", ",", " , ", ",\t", ",  "),
      fc.constantFrom("[", "[", "[", " [", "[ "),
      fc.constantFrom("],", "],", "],", "]", "] ,", "], // note", "],\r", "],,", ",],"),
    )
    .map(([fields, separator, open, close]) => ({ line: `${open}${fields.join(separator)}${close}`, kinds })),
);

describe("transcoder vs value path: lines a person edited", () => {
  it("any spelling, spacing or tag is declined or agrees", () => {
    fc.assert(fc.property(lineArb, ({ line, kinds }) => agrees(line, kinds)), RUNS);
  });

  it("golden declines", () => {
    const declined: [string, ValueKind[]][] = [
      ["[1_000],", ["integer"]],
      ["[0x10],", ["integer"]],
      ["[9007199254740993],", ["integer"]],
      ["[-0],", ["integer"]],
      ["[int(5)],", ["integer"]],
      ["[1.5],", ["integer"]],
      ["['a'],", ["text"]],
      ['["a\\0b"],', ["text"]],
      ['["a\\\'b"],', ["text"]],
      ['["a"], // note', ["text"]],
      ['[ "a"],', ["text"]],
      ['["a","b"],', ["text", "text"]],
      ['[text("a")],', ["text"]],
      ["[.5],", ["real"]],
      ["[1e5],", ["real"]],
      ["[-NaN],", ["real"]],
      ["[real(1)],", ["real"]],
      ['[blob("AB==")],', ["blob"]],
      ['[blob("AA")],', ["blob"]],
      ['[1],', ["any"]],
      ["[1, 2]", ["integer", "integer"]],
      ["[1, 2],\r", ["integer", "integer"]],
      ["[1],", ["integer", "integer"]],
      ['["\ta\r"],', ["text"]],
    ];
    for (const [line, kinds] of declined) expect(transcode(Buffer.from(line), kinds), line).toBeNull();
    expect(transcode(Buffer.from("[9007199254740991, 9007199254740992n],"), ["integer", "integer"])?.toString()).toBe("9007199254740991\t9007199254740992\n");
    expect(transcode(Buffer.from('["a\tb"],'), ["text"])?.toString()).toBe("a\\tb\n");
    expect(transcode(Buffer.from("[1.50, 1e-400, 1e+400],"), ["real", "real", "real"])?.toString()).toBe("1.5\t0\tInfinity\n");
  });
});

/** A decimal spelling of `x` that a person (or another tool) might have written: more digits, trailing zeros. */
const spelledDoubleArb: fc.Arbitrary<{ value: number; literal: string }> = fc
  .tuple(fc.oneof(doubleArb, fc.double({ min: -1e6, max: 1e6 })), fc.integer({ min: 1, max: 30 }), fc.nat({ max: 5 }), fc.boolean())
  .filter(([x]) => Number.isFinite(x))
  .map(([x, digits, zeros, precise]) => {
    const canonical = encodeValue(x, "real");
    if (!precise) return { value: x, literal: canonical };
    // NOTE: toPrecision(p >= 17) is the decimal nearest x, which reads back to x; fewer digits may round elsewhere.
    let text = x.toPrecision(Math.max(digits, 1));
    if (/e/.test(text) || !/\./.test(text)) return { value: x, literal: canonical };
    text += "0".repeat(zeros);
    if (text.startsWith("-0.") && Number(text) === 0) text = text.slice(1);
    return { value: Number(text), literal: text };
  });

describe("exact decimals: a float8 column takes a plain decimal as it is written", () => {
  /** One real field through CopyBytes, with the column as float8 (exact) or not. */
  function field(literal: string, exact: boolean): string | null {
    const row = new CanonicalRow(["real"]);
    const bytes = Buffer.from(`[${literal}],`);
    if (!row.scan(bytes, 0, bytes.length)) return null;
    const out = new CopyBytes([exact]);
    expect(out.appendRow(row)).toBe(true);
    return Buffer.concat(out.take()).toString("latin1").slice(0, -1);
  }

  it("gives the same double as the value path, spelled as written when it is a short plain decimal", () => {
    fc.assert(
      fc.property(spelledDoubleArb, ({ value, literal }) => {
        const exact = field(literal, true);
        const slow = valuePath(Buffer.from(`[${literal}],`), ["real"]);
        if (exact === null) return;
        const valueText = slow!.toString("latin1").slice(0, -1);
        // The server reads either text to the same double: JavaScript's and strtod's rounding are both correct.
        expect(Object.is(Number(exact), Number(valueText)), `${literal}: ${exact} vs ${valueText}`).toBe(true);
        expect(Object.is(Number(exact), value) || Number.isNaN(value)).toBe(true);
        const plain = literal.length <= 40 && !literal.includes("e");
        expect(exact).toBe(plain ? literal : valueText);
        // Without the column's consent, the value path's bytes.
        expect(field(literal, false)).toBe(valueText);
      }),
      RUNS,
    );
  });

  it("golden spellings", () => {
    const cases: [string, string][] = [
      ["1.50", "1.50"],
      ["0.3333333333333333", "0.3333333333333333"],
      ["0.1000000000000000055511151231257827", "0.1000000000000000055511151231257827"],
      ["-0.0", "-0.0"],
      ["1e-7", "1e-7"],
      ["1.5e+300", "1.5e+300"],
      ["1e-400", "0"],
      ["1e+400", "Infinity"],
      [`1${"0".repeat(40)}`, "1e+40"],
      [`0.${"0".repeat(39)}1`, "1e-40"],
      ["NaN", "NaN"],
      ["-Infinity", "-Infinity"],
    ];
    for (const [literal, copied] of cases) expect(field(literal, true), literal).toBe(copied);
  });

  it("is asked for by float8 columns only", async () => {
    const { session, copies } = collectingSession();
    const col = (name: string, type: object) => ({ name, kind: "real", type });
    const table = {
      key: "public.f",
      schema: "public",
      name: "f",
      rowidColumn: null,
      columns: [col("d", { name: "real", params: [8], native: "double precision" }), col("r", { name: "real", params: [4], native: "real" }), col("dom", { name: "real", native: "public.positive" })],
    } as unknown as TableSchema;
    const transcoder = new PostgresRowTranscoder(session, table, ["d", "r", "dom"], ["real", "real", "real"]);
    const row = new CanonicalRow(["real", "real", "real"]);
    const line = Buffer.from("[1.50, 1.50, 1.50],");
    expect(row.scan(line, 0, line.length)).toBe(true);
    expect(transcoder.addLine(row)).toBe(true);
    await transcoder.insert([transcoder.take()]);
    expect(copies[0]!.text.toString()).toBe("1.50\t1.5\t1.5\n");
  });
});

/** A session whose COPY collects the bytes it is sent. */
function collectingSession(): { session: PgSession; copies: { sql: string; text: Buffer }[] } {
  const copies: { sql: string; text: Buffer }[] = [];
  const session = {
    copyIn(sql: string) {
      const chunks: Buffer[] = [];
      return new Writable({
        write(chunk: Buffer, _encoding, done) {
          chunks.push(chunk);
          done();
        },
        final(done) {
          copies.push({ sql, text: Buffer.concat(chunks) });
          done();
        },
      });
    },
  } as unknown as PgSession;
  return { session, copies };
}

describe("PostgresRowTranscoder: a data module's rows, canonical lines and others mixed", () => {
  const dir = mkdtempSync(join(tmpdir(), "gen-dump-transcoder-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const table = { key: "public.t", schema: "public", name: "t", rowidColumn: null, columns: [] } as unknown as TableSchema;

  /** The module read with the transcoder: its batches (COPY text and lines). */
  async function readTranscoded(path: string, kinds: readonly ValueKind[], columns: readonly string[], batchSize?: number) {
    const { session, copies } = collectingSession();
    let transcoder: PostgresRowTranscoder | null = null;
    const batches: { transcoded: TranscodedRows; lines: readonly number[]; firstLine: number }[] = [];
    const factory = (names: readonly string[], given: readonly ValueKind[]) => (transcoder = new PostgresRowTranscoder(session, table, names, given));
    for await (const batch of readDataModule(path, () => kinds, { batchSize, transcoder: factory })) {
      expect(batch.rows).toEqual([]);
      batches.push({ transcoded: batch.transcoded!, lines: batch.lines, firstLine: batch.firstLine });
    }
    if (batches.length > 0) await transcoder!.insert(batches.map((b) => b.transcoded));
    expect(copies.length).toBe(batches.length > 0 ? 1 : 0);
    const list = columns.length > 0 ? ` (${columns.map((c) => `"${c}"`).join(", ")})` : "";
    if (copies.length > 0) expect(copies[0]!.sql).toBe(`COPY "public"."t"${list} FROM STDIN`);
    return { text: copies[0]?.text ?? Buffer.alloc(0), batches };
  }

  /** The module read for values, encoded as the writer does. */
  async function readValues(path: string, kinds: readonly ValueKind[], batchSize?: number) {
    const encoders = kinds.map((k) => fieldEncoder(k));
    let text = "";
    const batches: { lines: readonly number[]; firstLine: number }[] = [];
    for await (const batch of readDataModule(path, () => kinds, { batchSize })) {
      for (const row of batch.rows) {
        const line = encodeCopyLine(row, kinds.map((_, i) => i), encoders);
        if (typeof line !== "string") throw new Error("refused");
        text += `${line}\n`;
      }
      batches.push({ lines: batch.lines, firstLine: batch.firstLine });
    }
    return { text: Buffer.from(text, "utf8"), batches };
  }

  function moduleText(columns: readonly string[], lines: readonly string[]): string {
    return [
      "// gen-dump data module: one row per line, values in the order of the columns named below.",
      'import { rows, int, real, text, bool, blob, rawText } from "../dump-helpers.ts";',
      "",
      `export default rows<Tables["t"]>("t", ${JSON.stringify(columns)}, [`,
      ...lines,
      "]);",
      "",
    ].join("\n");
  }

  it("gives the value path's COPY text, lines and batches for modules of edited and canonical lines", async () => {
    let n = 0;
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(lineArb, { maxLength: 30 }), fc.integer({ min: 1, max: 7 }), async (entries, batchSize) => {
        // One module per column set: the first entry's kinds; lines of other shapes become comments.
        const kinds = entries[0]?.kinds ?? [];
        const columns = kinds.map((_, i) => `c${i}`);
        const lines = entries.map((e) => (e.kinds.join() === kinds.join() && !e.line.includes("\r") ? e.line : `// ${e.line.replace(/[\r\n\u2028\u2029]/g, " ")}`));
        const path = join(dir, `m${n++}.ts`);
        writeFileSync(path, moduleText(columns, lines));
        const slow = await readValues(path, kinds, batchSize).catch(() => null);
        if (slow === null) return true; // a line the value path refuses: covered line by line above
        const fast = await readTranscoded(path, kinds, columns, batchSize);
        expect(fast.batches.map((b) => [b.firstLine, b.lines])).toEqual(slow.batches.map((b) => [b.firstLine, b.lines]));
        expect(fast.text.toString("latin1")).toBe(slow.text.toString("latin1"));
        compared++;
        return true;
      }),
      { numRuns: 300 },
    );
    expect(compared).toBeGreaterThan(50);
  });

  it("reads a module with a BOM, CRLF line ends, invalid UTF-8 and a big row, as the value path does", async () => {
    const kinds: ValueKind[] = ["integer", "text", "blob"];
    const big = "é😀\t".repeat(100_000);
    const text = moduleText(["id", "s", "b"], [
      '[1, "a", blob("AAE=")],',
      "[2, 'b', null],\r",
      `[3, ${encodeString(big)}, null],`,
      '[4, "INVALID", null],',
      "",
      '[5, "after", blob("")],',
    ]);
    const bytes = Buffer.concat([Buffer.from("\ufeff"), Buffer.from(text)]);
    // Bytes that are not UTF-8 in a string: decoded as U+FFFD, like the value path does.
    const invalid = bytes.indexOf("INVALID");
    bytes[invalid] = 0xff;
    bytes[invalid + 1] = 0xc3;
    const path = join(dir, "odd.ts");
    writeFileSync(path, bytes);
    const slow = await readValues(path, kinds);
    const fast = await readTranscoded(path, kinds, ["id", "s", "b"]);
    expect(fast.batches.map((b) => b.lines)).toEqual([[5, 6, 7, 8, 10]]);
    expect(fast.text.equals(slow.text)).toBe(true);
    expect(fast.text.toString("utf8")).toContain("4\t\ufffd\ufffdVALID\t\\N\n");
  });

  it("reports a value the encoder refuses when the batch is inserted, at its row across the batches, before any COPY", async () => {
    const path = join(dir, "nul.ts");
    writeFileSync(path, moduleText(["id", "s"], ['[1, "a"],', '[2, "b"],', '[3, "c\\x00"],', '[4, text("d")],']));
    const { session, copies } = collectingSession();
    const transcoder = new PostgresRowTranscoder(session, table, ["id", "s"], ["integer", "text"]);
    const batches: TranscodedRows[] = [];
    for await (const batch of readDataModule(path, () => ["integer", "text"], { batchSize: 2, transcoder: () => transcoder })) batches.push(batch.transcoded!);
    expect(batches.map((b) => b.rows)).toEqual([2, 2]);
    const error = await transcoder.insert(batches).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenDumpError);
    expect((error as GenDumpError).message).toBe('Loading table public.t failed at row 2 (column s): the text "c\\u0000" cannot be stored in PostgreSQL text (it cannot hold NUL characters).');
    expect((error as GenDumpError).context).toMatchObject({ table: "public.t", column: "s", row: 2 });
    expect(copies).toEqual([]);
  });

  it("takes RawText and values of other kinds from the parser, as the writer would", () => {
    const { session } = collectingSession();
    const transcoder = new PostgresRowTranscoder(session, table, ["s"], ["text"]);
    transcoder.addRow([new RawText(new Uint8Array([0xff]))]);
    expect((transcoder.take() as unknown as { rejected: unknown }).rejected).toMatchObject({ row: 0, field: { column: 0 } });
  });
});

describe("PostgresTarget.rowTranscoder: only where it gives what insertRows gives", () => {
  const column = (name: string, kind: ValueKind) => ({ name, kind, type: { name: kind, native: kind } });
  const table = (schema: string | null, columns: { name: string; kind: ValueKind }[], rowidColumn: string | null = null) =>
    ({ key: "t", schema, name: "t", rowidColumn, columns }) as unknown as TableSchema;
  const target = new PostgresTarget(collectingSession().session);
  const pg = table("public", [column("id", "integer"), column("s", "text"), column("b", "blob")]);

  it("takes a PostgreSQL table's columns read with their own kinds, in any order", () => {
    expect(target.rowTranscoder(pg, ["id", "s", "b"], ["integer", "text", "blob"])).toBeInstanceOf(PostgresRowTranscoder);
    expect(target.rowTranscoder(pg, ["b", "id"], ["blob", "integer"])).toBeInstanceOf(PostgresRowTranscoder);
    expect(target.rowTranscoder(pg, [], [])).toBeInstanceOf(PostgresRowTranscoder);
  });

  it("declines other kinds, unknown columns, any columns, a rowid and another engine's tables", () => {
    expect(target.rowTranscoder(pg, ["id", "s"], ["real", "text"])).toBeNull();
    expect(target.rowTranscoder(pg, ["id", "x"], ["integer", "text"])).toBeNull();
    expect(target.rowTranscoder(pg, ["id"], ["integer", "text"])).toBeNull();
    expect(target.rowTranscoder(table("public", [column("v", "any")]), ["v"], ["any"])).toBeNull();
    expect(target.rowTranscoder(table("public", [column("id", "integer")], "rowid"), ["rowid", "id"], ["integer", "integer"])).toBeNull();
    // A SQLite dump's table (no schema): its values are verified after the COPY.
    expect(target.rowTranscoder(table(null, [column("id", "integer")]), ["id"], ["integer"])).toBeNull();
  });
});
