import { isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";

/** Invalid bytes become U+FFFD, as with Buffer#toString; the scanner then reports them where they are. */
const UTF8 = new TextDecoder("utf-8", { ignoreBOM: true });
import { GenDumpError } from "../errors.ts";
import type { DumpRow, ValueKind } from "../model/values.ts";
import { CanonicalRow, type LineTranscoder } from "./canonical-row.ts";
import { type LineScanner, LiteralKindError, LiteralSyntaxError } from "./literal-scanner.ts";
import { headLine, readHeader } from "./module-header.ts";
import { parseRow, scanner } from "./row-parser.ts";

/**
 * The fast loader of data modules: reads the literals of a module line by line without
 * executing anything (and without the TypeScript compiler). It accepts what the encoder
 * writes and what a person may reasonably type when editing a row by hand; anything else
 * is a {@link LiteralSyntaxError} with the line and column, so that the caller can fall
 * back to importing the module, or report `file:line:col`.
 */

export { LiteralKindError, LiteralSyntaxError, decodeBase64 } from "./literal-scanner.ts";
export { parseRowLine } from "./row-parser.ts";

/** One batch of rows from a data module. */
export interface DataModuleBatch<Transcoded = never> {
  /** The table key the module names. */
  readonly table: string;
  readonly columns: string[];
  /** The rows' values; empty when a transcoder took the rows (see `transcoded`). */
  readonly rows: DumpRow[];
  /** With a transcoder (see {@link ReadDataModuleOptions}): what it made of this batch's rows, all of them. */
  readonly transcoded?: Transcoded;
  /** 1-based line number of the batch's first row (later rows may follow comment lines). */
  readonly firstLine: number;
  /** 1-based line number of each row. */
  readonly lines: readonly number[];
}

export interface ReadDataModuleOptions<Transcoded = never> {
  /** Rows per batch (default 2000). */
  readonly batchSize?: number;
  /**
   * Refuse a plain literal of another kind than its column's with a {@link LiteralKindError}
   * (default true). `gen-dump check` turns it off to report every such literal itself.
   */
  readonly checkKinds?: boolean;
  /**
   * Called once the header has named the columns (after `kindsFor`), with their kinds.
   * A transcoder it returns takes every row of the module, in order: a line in the
   * encoder's own form (canonical-row.ts) as its bytes, unless it declines it, and any
   * other line as the values the parser reads from it (so rejections and messages are
   * the parser's). Each batch then carries what the transcoder made of its rows
   * (`transcoded`) instead of values. Null: values, as without this option.
   */
  readonly transcoder?: (columns: readonly string[], kinds: readonly ValueKind[]) => LineTranscoder<Transcoded> | null;
}

/**
 * Stream a data module's rows in batches, without executing it. Lines before the
 * `export default rows<…>("key", ["c1", …], [` line are ignored (header comment,
 * imports); after it, each line is a row, a blank line or a `//` comment, until the
 * `]);` line, after which nothing is read. `kindsFor` gets the module's table key and
 * column names and returns the column kinds (it may throw to refuse the module).
 * Throws {@link LiteralSyntaxError} (with `file`) on the first line it cannot read.
 */
export async function* readDataModule<Transcoded = never>(
  path: string,
  kindsFor: (tableKey: string, columns: readonly string[]) => readonly ValueKind[],
  options: ReadDataModuleOptions<Transcoded> = {},
): AsyncGenerator<DataModuleBatch<Transcoded>> {
  const module = new ModuleLines(kindsFor, options.batchSize ?? 2000, options.checkKinds ?? true, options.transcoder);
  // NOTE: 64 KiB chunks decoded by TextDecoder: on a 154 MB module set this decodes in
  // 0.13 s, where Buffer#toString on 1 MiB chunks took 1.3 s (larger strings cost more
  // than their size, and TextDecoder's UTF-8 path is the faster one).
  const stream = createReadStream(path, { highWaterMark: 1 << 16 });
  // Whole lines go to the module: a chunk is read up to its last newline byte (never
  // inside a UTF-8 sequence), so each decoded text is one flat string of whole lines that
  // the scanner reads in place. Bytes after it wait in `pending` for the chunks that end
  // their line; only that line is joined, the rest of the next chunk is read where it is.
  const pending: Buffer[] = [];
  function* read(bytes: Buffer): Generator<DataModuleBatch<Transcoded>> {
    if (module.readsBytes) module.feedBytes(bytes);
    else module.feed(UTF8.decode(bytes));
    for (let batch = module.nextBatch(); batch !== null; batch = module.nextBatch()) yield batch;
  }
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const last = chunk.lastIndexOf(0x0a);
      if (last < 0) {
        pending.push(chunk);
        continue;
      }
      let from = 0;
      if (pending.length > 0) {
        from = chunk.indexOf(0x0a) + 1;
        yield* read(Buffer.concat([...pending.splice(0), chunk.subarray(0, from)]));
        if (module.done) return;
      }
      if (from <= last) yield* read(chunk.subarray(from, last + 1));
      if (module.done) return;
      if (last + 1 < chunk.length) pending.push(chunk.subarray(last + 1));
    }
    if (pending.length > 0) yield* read(Buffer.concat(pending));
    module.end();
  } catch (error) {
    if (error instanceof LiteralSyntaxError && error.context.file === undefined) {
      throw new LiteralSyntaxError(error.reason, error.line, error.col, path);
    }
    if (error instanceof LiteralKindError && error.context.file === undefined) {
      throw new LiteralKindError(error.reason, error.line, error.col, error.columnIndex, path);
    }
    throw error;
  } finally {
    stream.destroy();
  }
}

/**
 * The line-by-line state of {@link readDataModule}: synchronous, fed decoded text, and
 * handing out each batch as soon as it is full (so that at most one batch of rows is
 * alive at a time, whatever the chunk size).
 *
 * With a transcoder it is fed bytes instead: a row line in the encoder's form goes to the
 * transcoder undecoded; every other line is decoded on its own and read as in text mode.
 */
class ModuleLines<Transcoded> {
  done = false;
  private text = "";
  private from = 0;
  /** Bytes to read next (byte mode), from `bytePos`; null in text mode. */
  private bytes: Buffer | null = null;
  private bytePos = 0;
  /** Whether `bytes` is valid UTF-8 (else every line is decoded, invalid bytes becoming U+FFFD). */
  private utf8 = false;
  private lineNo = 0;
  /** UTF-16 length of the last line; -1: it went undecoded to the transcoder, from `lastBytes` up to `lastEnd`. */
  private lastLength = 0;
  private lastBytes: Buffer | null = null;
  private lastFrom = 0;
  private lastEnd = 0;
  private phase: "head" | "rows" = "head";
  private table = "";
  private columns: string[] = [];
  private kinds: readonly ValueKind[] = [];
  private rows: DumpRow[] = [];
  private lines: number[] = [];
  private transcoder: LineTranscoder<Transcoded> | null = null;
  private canonical: CanonicalRow | null = null;
  private readonly ready: DataModuleBatch<Transcoded>[] = [];

  constructor(
    private readonly kindsFor: (tableKey: string, columns: readonly string[]) => readonly ValueKind[],
    private readonly batchSize: number,
    private readonly checkKinds: boolean,
    private readonly transcoderFor?: (columns: readonly string[], kinds: readonly ValueKind[]) => LineTranscoder<Transcoded> | null,
  ) {}

  /** Whether the next lines are to be fed as bytes (`feedBytes`) rather than text. */
  get readsBytes(): boolean {
    return this.transcoderFor !== undefined && (this.phase === "head" || this.transcoder !== null);
  }

  /** Decoded text to read next: whole lines, the last one without its newline only at the end of the file. */
  feed(text: string): void {
    this.bytes = null;
    this.text = text;
    this.from = this.lineNo === 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0; // BOM
  }

  /** Bytes to read next, as for `feed`. */
  feedBytes(bytes: Buffer): void {
    this.bytes = bytes;
    this.bytePos = 0;
    this.utf8 = isUtf8(bytes);
  }

  /** Read lines of the fed text until a batch is complete; null when the text is used up. */
  nextBatch(): DataModuleBatch<Transcoded> | null {
    while (this.ready.length === 0 && !this.done) {
      if (this.bytes !== null) {
        if (this.bytePos >= this.bytes.length) break;
        this.byteLine(this.bytes);
        continue;
      }
      const text = this.text;
      if (this.from >= text.length) break;
      const from = this.from;
      const nl = text.indexOf("\n", from);
      const next = nl < 0 ? text.length : nl;
      this.from = next + 1;
      this.line(text, from, next > from && text.charCodeAt(next - 1) === 0x0d ? next - 1 : next);
    }
    return this.ready.shift() ?? null;
  }

  /** One line of `bytes` in byte mode: to the transcoder as it is, or decoded and read as text. */
  private byteLine(bytes: Buffer): void {
    const from = this.bytePos;
    const nl = bytes.indexOf(0x0a, from);
    const next = nl < 0 ? bytes.length : nl;
    this.bytePos = next + 1;
    const transcoder = this.transcoder;
    if (transcoder !== null && this.utf8 && bytes[from] === 0x5b && this.canonical!.scan(bytes, from, next) && transcoder.addLine(this.canonical!)) {
      this.lines.push(++this.lineNo);
      this.lastLength = -1;
      this.lastBytes = bytes;
      this.lastFrom = from;
      this.lastEnd = next;
      if (this.lines.length >= this.batchSize) this.flush();
      return;
    }
    const text = UTF8.decode(bytes.subarray(from, next));
    const start = this.lineNo === 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0; // BOM
    const end = text.length > start && text.charCodeAt(text.length - 1) === 0x0d ? text.length - 1 : text.length;
    this.line(text, start, end);
    // The header named columns no transcoder takes: the rest is read as text, as without one.
    if (!this.readsBytes && !this.done) this.feed(UTF8.decode(bytes.subarray(this.bytePos)));
  }

  private line(text: string, start: number, end: number): void {
    const lineNo = ++this.lineNo;
    this.lastLength = end - start;
    if (this.phase === "rows") {
      const p = scanner.reset(text, lineNo, start, end);
      // Hot path: a row line as the encoder writes it.
      if (text.charCodeAt(start) === 0x5b) this.addRow(p, lineNo);
      else this.otherLine(p, lineNo);
    } else {
      const line = text.slice(start, end);
      if (/^\s*export\s+default\b/.test(line)) this.header(line, lineNo);
      else headLine(line, lineNo);
    }
  }

  /** At the end of the file: it must have closed the rows. */
  end(): void {
    if (this.done) return;
    const line = Math.max(this.lineNo, 1);
    if (this.phase === "head") throw new LiteralSyntaxError("no `export default rows(...)` line", line, 1);
    const length = this.lastLength >= 0 ? this.lastLength : UTF8.decode(this.lastBytes!.subarray(this.lastFrom, this.lastEnd)).length;
    throw new LiteralSyntaxError("the file ends before `]);` closes the rows", line, length + 1);
  }

  private addRow(p: LineScanner, lineNo: number): void {
    this.lines.push(lineNo);
    const row = parseRow(p, this.kinds, this.checkKinds);
    if (this.transcoder !== null) this.transcoder.addRow(row);
    else this.rows.push(row);
    if (this.lines.length >= this.batchSize) this.flush();
  }

  private otherLine(p: LineScanner, lineNo: number): void {
    p.skipSpace();
    const c = p.peek();
    if (c === 0x5b) return this.addRow(p, lineNo);
    if (p.atLineEnd()) return; // blank or `//` comment
    if (c !== 0x5d) p.fail("expected a row `[...],` or `]);` closing the rows");
    this.close(p);
  }

  /** `]);` (or `])`), optionally followed by a comment. */
  private close(p: LineScanner): void {
    p.expect("]", "]");
    p.expect(")", ") after ] to close rows(");
    p.skipSpace();
    if (p.peek() === 0x3b /* ; */) p.pos++;
    if (!p.atLineEnd()) p.fail("unexpected text after `]);`");
    this.flush();
    this.done = true;
  }

  private flush(): void {
    if (this.lines.length === 0) return;
    const batch = { table: this.table, columns: this.columns, rows: this.rows, firstLine: this.lines[0]!, lines: this.lines };
    this.ready.push(this.transcoder === null ? batch : { ...batch, transcoded: this.transcoder.take() });
    this.rows = [];
    this.lines = [];
  }

  /** The `export default rows<…>("key", ["c1", "c2"], [` line: the module's columns, their kinds, its transcoder. */
  private header(text: string, lineNo: number): void {
    const { p, table, columns } = readHeader(text, lineNo);
    this.table = table;
    this.columns = columns;
    this.kinds = this.kindsFor(table, columns);
    if (this.kinds.length !== columns.length) {
      throw new GenDumpError("INTERNAL", `kindsFor returned ${this.kinds.length} kinds for ${columns.length} columns of table ${JSON.stringify(table)}.`);
    }
    this.phase = "rows";
    this.transcoder = this.transcoderFor?.(columns, this.kinds) ?? null;
    if (this.transcoder !== null) this.canonical = new CanonicalRow(this.kinds);
    p.skipSpace();
    if (p.peek() === 0x5d) this.close(p); // `[]);` on the header line: no rows
    else if (!p.atLineEnd()) p.fail("rows must start on the line after `[`");
  }
}
