import { isUtf8 } from "node:buffer";
import type { EncodedRows } from "../dialect.ts";
import { encodeValue } from "../../encoding/literal-encoder.ts";
import { FALSE_LITERAL, LiteralByteWriter, NULL_LITERAL, TRUE_LITERAL } from "../../encoding/literal-bytes.ts";
import { ESCAPE_BYTES } from "./postgres-copy-text.ts";
import type { DumpRow, DumpValue, ValueKind } from "../../model/values.ts";

/**
 * COPY text lines (`COPY … TO STDOUT`, text format) straight into data module row lines,
 * byte for byte what parsing the fields into values (`parseCopyLine` + the reader's
 * converters) and encoding them (`encodeRow`) gives, without the values: a dump's two
 * largest costs. A line this cannot take as it is (not valid UTF-8, a backslash escape
 * that yields invalid UTF-8, malformed bytea or integer text) goes the value path, so the
 * result is the same for every line; the property tests in
 * test/unit/postgres-copy-transcoder.test.ts compare the two paths.
 */
export class CopyTranscoder {
  readonly out = new LiteralByteWriter();
  readonly lineEnds: number[] = [];
  readonly keySpans: number[] = [];
  rows = 0;
  /** For each data column, its index among the key columns, or -1. */
  private readonly keySlot: Int32Array;

  constructor(
    private readonly kinds: readonly ValueKind[],
    private readonly keyColumns: readonly number[],
    /** The value path for a line (`src[start, end)`, without the newline): the row `readRows` would yield. */
    private readonly rowOf: (src: Buffer, start: number, end: number) => DumpRow,
    /**
     * The server writes every double as its shortest text (PostgreSQL 12 and later with
     * extra_float_digits > 0): such a text without exponent is already the literal.
     * @see https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-FLOAT
     */
    private readonly shortestFloats = false,
  ) {
    this.keySlot = new Int32Array(kinds.length).fill(-1);
    keyColumns.forEach((column, slot) => (this.keySlot[column] = slot));
  }

  /** The rows transcoded since the last `clear`, as a batch (valid until `clear`). */
  batch(): EncodedRows {
    return { rows: this.rows, bytes: this.out.bytes, lineEnds: this.lineEnds, keySpans: this.keySpans };
  }

  clear(): void {
    this.out.pos = 0;
    this.lineEnds.length = 0;
    this.keySpans.length = 0;
    this.rows = 0;
  }

  /**
   * Transcode the complete lines of `src[start, end)` (each ending with "\n"; `end` just
   * past the last one).
   */
  lines(src: Buffer, start: number, end: number): void {
    const valid = isUtf8(src.subarray(start, end));
    let from = start;
    while (from < end) {
      const nl = src.indexOf(0x0a, from);
      this.line(src, from, nl, valid);
      from = nl + 1;
    }
  }

  /** One line, `src[start, end)` without its newline; `valid`: known to be valid UTF-8. */
  line(src: Buffer, start: number, end: number, valid: boolean): void {
    const mark = this.out.pos;
    const spans = this.keySpans.length;
    if (!(valid || isUtf8(src.subarray(start, end))) || !this.fastLine(src, start, end)) {
      this.out.pos = mark;
      this.keySpans.length = spans;
      this.slowLine(this.rowOf(src, start, end));
    }
    this.lineEnds.push(this.out.pos);
    this.rows++;
  }

  /** The line without building values; false when it must go the value path. */
  private fastLine(src: Buffer, start: number, end: number): boolean {
    const { kinds, out } = this;
    const count = kinds.length;
    out.reserve(1);
    out.bytes[out.pos++] = 0x5b; // [
    let from = start;
    for (let column = 0; column < count; column++) {
      if (column > 0) {
        // NOTE: a field count other than the columns' goes the value path, which names it.
        if (from >= end || src[from] !== 0x09) return false;
        from++;
        out.reserve(2);
        out.bytes[out.pos++] = 0x2c; // ,
        out.bytes[out.pos++] = 0x20;
      }
      const at = out.pos;
      from = this.field(src, from, end, kinds[column]!);
      if (from < 0) return false;
      const slot = this.keySlot[column]!;
      if (slot >= 0) this.keySpan(slot, at, out.pos);
    }
    if (from !== end) return false;
    out.reserve(3);
    out.bytes[out.pos++] = 0x5d; // ]
    out.bytes[out.pos++] = 0x2c; // ,
    out.bytes[out.pos++] = 0x0a;
    return true;
  }

  /** One field from `start` to the next tab or `end`, as a literal; where it stopped, or -1. */
  private field(src: Buffer, start: number, end: number, kind: ValueKind): number {
    const out = this.out;
    if (src[start] === 0x5c && src[start + 1] === 0x4e && (start + 2 === end || src[start + 2] === 0x09)) {
      out.keyword(NULL_LITERAL); // \N
      return start + 2;
    }
    switch (kind) {
      case "integer":
        return out.integerLiteral(src, start, end, 0x09);
      case "real": {
        const stop = fieldEnd(src, start, end);
        if (!out.realLiteralOfText(src, start, stop, this.shortestFloats)) out.realLiteral(Number(src.toString("latin1", start, stop)));
        return stop;
      }
      case "boolean": {
        // NOTE: as the value path reads it: `t` is true, anything else false.
        const stop = fieldEnd(src, start, end);
        out.keyword(stop === start + 1 && src[start] === 0x74 ? TRUE_LITERAL : FALSE_LITERAL);
        return stop;
      }
      case "blob":
        // bytea's hex output `\x…`, its backslash doubled by COPY.
        if (start + 3 > end || src[start] !== 0x5c || src[start + 1] !== 0x5c || src[start + 2] !== 0x78) return -1;
        return out.blobLiteralOfHex(src, start + 3, end, 0x09);
      default:
        return out.stringLiteral(src, start, end, 0x09, COPY_ESCAPES);
    }
  }

  private keySpan(slot: number, start: number, end: number): void {
    const at = 2 * (this.rows * this.keyColumns.length + slot);
    this.keySpans[at] = start;
    this.keySpans[at + 1] = end;
  }

  /** A row of the value path, written as `encodeRow` writes it, noting its key spans. */
  private slowLine(row: DumpRow): void {
    const out = this.out;
    out.byte(0x5b);
    for (let column = 0; column < row.length; column++) {
      if (column > 0) out.text(", ");
      const at = out.pos;
      out.text(encodeValue(row[column] as DumpValue, this.kinds[column]!));
      const slot = this.keySlot[column]!;
      if (slot >= 0) this.keySpan(slot, at, out.pos);
    }
    out.text("],\n");
  }
}

/** Bytes of row lines per batch `transcodeCopy` yields (about: it yields between runs). */
const BATCH_BYTES = 1 << 20;

/** COPY's output, as runs of whole lines (`PgSession.copyOut`), as batches of row lines. */
export async function* transcodeCopy(runs: AsyncIterable<[Buffer, number, number]>, transcoder: CopyTranscoder): AsyncGenerator<EncodedRows> {
  for await (const [src, start, end] of runs) {
    transcoder.lines(src, start, end);
    if (transcoder.out.pos >= BATCH_BYTES) {
      yield transcoder.batch();
      transcoder.clear();
    }
  }
  if (transcoder.rows > 0) yield transcoder.batch();
  transcoder.clear();
}

/**
 * What a backslash and the byte after it stand for in COPY's text format, for
 * `stringLiteral`: a letter of `ESCAPE_BYTES` its control, any other byte itself (`\\` a
 * backslash), except the octal (`\0`-`\7`) and hex (`\x`) escapes, which COPY TO does not
 * write and the value path decodes (-1).
 * @see https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2
 */
const COPY_ESCAPES = (() => {
  const table = new Int16Array(256);
  for (let c = 0; c < 256; c++) table[c] = ESCAPE_BYTES[c]! >= 0 ? ESCAPE_BYTES[c]! : c;
  for (const c of "01234567x") table[c.charCodeAt(0)] = -1;
  // NOTE: a backslash before the tab that ends the field is kept by the value path (it
  // splits fields first); never written by COPY TO, so left to that path.
  table[0x09] = -1;
  return table;
})();

/** The next tab at or after `start`, or `end`. */
function fieldEnd(src: Buffer, start: number, end: number): number {
  let i = start;
  while (i < end && src[i] !== 0x09) i++;
  return i;
}
