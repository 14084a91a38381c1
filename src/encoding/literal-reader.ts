import { createReadStream } from "node:fs";

/** Invalid bytes become U+FFFD, as with Buffer#toString; the scanner then reports them where they are. */
const UTF8 = new TextDecoder("utf-8", { ignoreBOM: true });
import { GenDumpError } from "../errors.ts";
import type { DumpRow, ValueKind } from "../model/values.ts";
import { type LineScanner, LiteralKindError, LiteralSyntaxError } from "./literal-scanner.ts";
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
export interface DataModuleBatch {
  /** The table key the module names. */
  readonly table: string;
  readonly columns: string[];
  readonly rows: DumpRow[];
  /** 1-based line number of the batch's first row (later rows may follow comment lines). */
  readonly firstLine: number;
  /** 1-based line number of each row. */
  readonly lines: readonly number[];
}

export interface ReadDataModuleOptions {
  /** Rows per batch (default 2000). */
  readonly batchSize?: number;
  /**
   * Refuse a plain literal of another kind than its column's with a {@link LiteralKindError}
   * (default true). `gen-dump check` turns it off to report every such literal itself.
   */
  readonly checkKinds?: boolean;
}

/**
 * Stream a data module's rows in batches, without executing it. Lines before the
 * `export default rows<…>("key", ["c1", …], [` line are ignored (header comment,
 * imports); after it, each line is a row, a blank line or a `//` comment, until the
 * `]);` line, after which nothing is read. `kindsFor` gets the module's table key and
 * column names and returns the column kinds (it may throw to refuse the module).
 * Throws {@link LiteralSyntaxError} (with `file`) on the first line it cannot read.
 */
export async function* readDataModule(
  path: string,
  kindsFor: (tableKey: string, columns: readonly string[]) => readonly ValueKind[],
  options: ReadDataModuleOptions = {},
): AsyncGenerator<DataModuleBatch> {
  const module = new ModuleLines(kindsFor, options.batchSize ?? 2000, options.checkKinds ?? true);
  // NOTE: 64 KiB chunks decoded by TextDecoder: on a 154 MB module set this decodes in
  // 0.13 s, where Buffer#toString on 1 MiB chunks took 1.3 s (larger strings cost more
  // than their size, and TextDecoder's UTF-8 path is the faster one).
  const stream = createReadStream(path, { highWaterMark: 1 << 16 });
  // Bytes after the last newline of the chunks so far. A chunk is decoded only up to its
  // last newline byte (never inside a UTF-8 sequence), so each decoded text is one flat
  // string of whole lines that the scanner reads in place.
  const pending: Buffer[] = [];
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const last = chunk.lastIndexOf(0x0a);
      if (last < 0) {
        pending.push(chunk);
        continue;
      }
      const whole = chunk.subarray(0, last + 1);
      const bytes = pending.length === 0 ? whole : Buffer.concat([...pending.splice(0), whole]);
      if (last + 1 < chunk.length) pending.push(chunk.subarray(last + 1));
      module.feed(UTF8.decode(bytes));
      for (let batch = module.nextBatch(); batch !== null; batch = module.nextBatch()) yield batch;
      if (module.done) return;
    }
    if (pending.length > 0) {
      module.feed(UTF8.decode(Buffer.concat(pending)));
      for (let batch = module.nextBatch(); batch !== null; batch = module.nextBatch()) yield batch;
    }
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
 */
class ModuleLines {
  done = false;
  private text = "";
  private from = 0;
  private lineNo = 0;
  private lastLength = 0;
  private phase: "head" | "rows" = "head";
  private table = "";
  private columns: string[] = [];
  private kinds: readonly ValueKind[] = [];
  private rows: DumpRow[] = [];
  private lines: number[] = [];
  private readonly ready: DataModuleBatch[] = [];

  constructor(
    private readonly kindsFor: (tableKey: string, columns: readonly string[]) => readonly ValueKind[],
    private readonly batchSize: number,
    private readonly checkKinds: boolean,
  ) {}

  /** Decoded text to read next: whole lines, the last one without its newline only at the end of the file. */
  feed(text: string): void {
    this.text = text;
    this.from = this.lineNo === 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0; // BOM
  }

  /** Read lines of the fed text until a batch is complete; null when the text is used up. */
  nextBatch(): DataModuleBatch | null {
    const text = this.text;
    while (this.ready.length === 0 && this.from < text.length && !this.done) {
      const from = this.from;
      const nl = text.indexOf("\n", from);
      const next = nl < 0 ? text.length : nl;
      this.from = next + 1;
      this.line(text, from, next > from && text.charCodeAt(next - 1) === 0x0d ? next - 1 : next);
    }
    return this.ready.shift() ?? null;
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
    throw new LiteralSyntaxError("the file ends before `]);` closes the rows", line, this.lastLength + 1);
  }

  private addRow(p: LineScanner, lineNo: number): void {
    this.lines.push(lineNo);
    this.rows.push(parseRow(p, this.kinds, this.checkKinds));
    if (this.rows.length >= this.batchSize) this.flush();
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
    if (this.rows.length === 0) return;
    this.ready.push({ table: this.table, columns: this.columns, rows: this.rows, firstLine: this.lines[0]!, lines: this.lines });
    this.rows = [];
    this.lines = [];
  }

  /** `export default rows<…>("key", ["c1", "c2"], [` — the type argument is skipped. */
  private header(text: string, lineNo: number): void {
    const p = scanner.reset(text, lineNo);
    for (const keyword of ["export", "default", "rows"]) {
      p.skipSpace();
      const at = p.pos;
      if (p.word() !== keyword) p.fail(`expected \`export default rows(\` (the module must be rows(key, columns, [...]))`, at);
    }
    p.skipSpace();
    if (p.peek() === 0x3c /* < */) skipTypeArguments(p);
    p.expect("(", "( after rows");
    const table = headerString(p, "the table key");
    p.expect(",", ", after the table key");
    p.expect("[", "[ to open the column names");
    const columns: string[] = [];
    p.skipSpace();
    while (p.peek() !== 0x5d) {
      columns.push(headerString(p, "a column name"));
      p.skipSpace();
      if (p.peek() === 0x2c) p.pos++;
      else if (p.peek() !== 0x5d) p.fail("expected , or ] after a column name");
      p.skipSpace();
    }
    p.pos++;
    p.expect(",", ", after the column names");
    p.expect("[", "[ to open the rows");
    this.table = table;
    this.columns = columns;
    this.kinds = this.kindsFor(table, columns);
    if (this.kinds.length !== columns.length) {
      throw new GenDumpError("INTERNAL", `kindsFor returned ${this.kinds.length} kinds for ${columns.length} columns of table ${JSON.stringify(table)}.`);
    }
    this.phase = "rows";
    p.skipSpace();
    if (p.peek() === 0x5d) this.close(p); // `[]);` on the header line: no rows
    else if (!p.atLineEnd()) p.fail("rows must start on the line after `[`");
  }
}

/**
 * A line before the `export default` line (header comment, imports) is not read, but it
 * must not open a block comment or a template literal, nor hide a line break: any of
 * them could change which `export default` line JavaScript runs.
 */
function headLine(line: string, lineNo: number): void {
  const comment = line.indexOf("//");
  const code = comment < 0 ? line : line.slice(0, comment);
  const opener = code.search(/\/\*|`/);
  if (opener >= 0) {
    throw new LiteralSyntaxError("block comment or template literal before the rows (the fast reader reads line comments only)", lineNo, opener + 1);
  }
  const terminator = line.search(/[\r\u2028\u2029]/);
  if (terminator >= 0) throw new LiteralSyntaxError("line terminator inside a line", lineNo, terminator + 1);
}

function headerString(p: LineScanner, what: string): string {
  p.skipSpace();
  const c = p.peek();
  if (c !== 0x22 && c !== 0x27 && c !== 0x60) p.fail(`expected ${what} as a string literal`);
  return p.string();
}

/** Skip `<…>`, nested brackets and string literals (`Tables["a>b"]`) included. */
function skipTypeArguments(p: LineScanner): void {
  let depth = 0;
  for (;;) {
    const c = p.peek();
    if (Number.isNaN(c)) p.fail("unterminated type argument after rows");
    if (c === 0x22 || c === 0x27 || c === 0x60) {
      p.string();
      continue;
    }
    p.pos++;
    if (c === 0x3c) depth++;
    else if (c === 0x3e && --depth === 0) return;
  }
}
