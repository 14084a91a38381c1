import type { RowTranscoder, TargetConnection, TranscodedRows } from "../dialects/dialect.ts";
import { GenDumpError, databaseError } from "../errors.ts";
import { type TableSchema, displayName } from "../model/schema-model.ts";
import type { DumpRow, ValueKind } from "../model/values.ts";

/** Transcoded inserts handed to the target at a time: the one running and one queued behind it. */
const QUEUED_COPIES = 2;

/** Rows of one target table with one column list, waiting to be inserted. */
interface Buffer {
  readonly table: TableSchema;
  readonly columns: readonly string[];
  /** Indices of `columns` the destination takes (a rowid it has no column for is left out). */
  readonly keep: readonly number[] | null;
  rows: DumpRow[];
  /** For rows a target's transcoder took (`rows` stays empty): the latest transcoder, which inserts its batches. */
  readonly transcoded: { transcoder: RowTranscoder | null; batches: TranscodedRows[] } | null;
  /** How many rows. */
  count: number;
  /** Where the rows come from, in order (see {@link Origin}). */
  origins: Origin[];
}

/**
 * Consecutive rows of one data module: `count` rows, at `lines` (null: not known).
 * A batch of rows is one origin, not one entry per row.
 */
interface Origin {
  readonly file: string;
  readonly count: number;
  readonly lines: readonly (number | null)[] | null;
}

/**
 * Where the rows of a restore go: one buffer per target table and column list. Flushes
 * write every buffer, parent tables first (the final schema's load order), so a child
 * row a step produced never reaches a target with immediate foreign keys before its
 * parent. A rejected row is named by the data module file and line it came from.
 * Rows that pass the chain unchanged may come already in the target's own format, from
 * the transcoder the sink gives for them (see `transcoder`); they have buffers of their own.
 */
export class RowSink {
  readonly #buffers = new Map<string, Buffer>();
  readonly #loaded = new Map<string, number>();
  #pending = 0;
  #pendingBytes = 0;
  /** Inserts still running in the target, oldest first (see `flush`). */
  #inFlight: { readonly done: Promise<void>; readonly transcoded: boolean }[] = [];

  constructor(
    private readonly target: TargetConnection,
    /** Position of a final table (by key) in load order. */
    private readonly order: ReadonlyMap<string, number>,
    /** The table rows of a final table are inserted into (the target's own, for --data-only). */
    private readonly destination: (table: TableSchema) => TableSchema,
  ) {}

  get pending(): number {
    return this.#pending;
  }

  /** Bytes of the transcoded rows buffered (see {@link addTranscoded}). */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /** Rows inserted so far, per final table display name. */
  get loaded(): ReadonlyMap<string, number> {
    return this.#loaded;
  }

  /** One row a step made (its column list may differ from row to row). */
  add(table: TableSchema, columns: readonly string[], row: DumpRow, file: string, line: number | null): void {
    const buffer = this.#buffer(table, columns, false);
    this.#push(buffer, row);
    buffer.origins.push({ file, count: 1, lines: [line] });
  }

  /** A batch of rows that passed the chain unchanged, with the module's lines (null: unknown). */
  addBatch(table: TableSchema, columns: readonly string[], rows: readonly DumpRow[], file: string, lines: readonly number[] | null): void {
    const buffer = this.#buffer(table, columns, false);
    for (let i = 0; i < rows.length; i++) this.#push(buffer, rows[i]!);
    buffer.origins.push({ file, count: rows.length, lines });
  }

  /**
   * The target's transcoder for one data module's rows of `table` that pass the chain
   * unchanged, in `columns` order, read with `kinds`; null when the target has none for
   * them, or when the destination leaves out a rowid (that is done value by value).
   */
  transcoder(table: TableSchema, columns: readonly string[], kinds: readonly ValueKind[]): RowTranscoder | null {
    if (this.target.rowTranscoder === undefined || table.rowidColumn !== null) return null;
    const transcoder = this.target.rowTranscoder(this.destination(table), columns, kinds);
    if (transcoder !== null) this.#buffer(table, columns, true).transcoded!.transcoder = transcoder;
    return transcoder;
  }

  /** A batch the {@link transcoder} for `table` and `columns` made, with the module's lines. */
  addTranscoded(table: TableSchema, columns: readonly string[], batch: TranscodedRows, file: string, lines: readonly number[]): void {
    const buffer = this.#buffer(table, columns, true);
    buffer.transcoded!.batches.push(batch);
    buffer.origins.push({ file, count: batch.rows, lines });
    buffer.count += batch.rows;
    this.#pending += batch.rows;
    this.#pendingBytes += batch.bytes;
  }

  #buffer(table: TableSchema, columns: readonly string[], transcoded: boolean): Buffer {
    const id = `${transcoded ? "transcoded\u0000" : ""}${table.key}\u0000${columns.join("\u0000")}`;
    let buffer = this.#buffers.get(id);
    if (buffer === undefined) {
      const dest = this.destination(table);
      const drop = table.rowidColumn !== null && dest.rowidColumn === null && dest !== table ? columns.indexOf(table.rowidColumn) : -1;
      const keep = drop < 0 ? null : columns.map((_, i) => i).filter((i) => i !== drop);
      const made = transcoded ? { transcoder: null, batches: [] } : null;
      buffer = { table, columns: keep === null ? columns : keep.map((i) => columns[i]!), keep, rows: [], transcoded: made, count: 0, origins: [] };
      this.#buffers.set(id, buffer);
    }
    return buffer;
  }

  #push(buffer: Buffer, row: DumpRow): void {
    buffer.rows.push(buffer.keep === null ? row : buffer.keep.map((i) => row[i]!));
    buffer.count++;
    this.#pending++;
  }

  /**
   * Insert everything buffered, parents first. `ahead`: return once the last insert is
   * sent, while the target still works on it, so the next rows are read and parsed in the
   * meantime (a PostgreSQL COPY runs in the server while the client parses the next batch);
   * its error, if any, comes from a later `flush`. Inserts run one after another in the
   * target; a transcoded batch may be handed over while one other transcoded batch is
   * still running (the target queues it), so that neither the target nor this thread waits
   * for the other whenever one batch takes longer than the next.
   */
  async flush(ahead = false): Promise<void> {
    const buffers = [...this.#buffers.values()].filter((b) => b.count > 0);
    buffers.sort((a, b) => (this.order.get(a.table.key) ?? 0) - (this.order.get(b.table.key) ?? 0));
    for (const buffer of buffers) {
      const transcoded = buffer.transcoded !== null;
      // NOTE: only transcoded inserts queue (a COPY each); the value path's may run a query after its COPY.
      while (this.#inFlight.length >= (transcoded && this.#inFlight.every((f) => f.transcoded) ? QUEUED_COPIES : 1)) await this.#settleOldest();
      this.#insert(buffer);
      buffer.rows = [];
      if (buffer.transcoded !== null) buffer.transcoded.batches = [];
      buffer.count = 0;
      buffer.origins = [];
    }
    this.#pending = 0;
    this.#pendingBytes = 0;
    if (!ahead) while (this.#inFlight.length > 0) await this.#settleOldest();
  }

  #insert(buffer: Buffer): void {
    const dest = this.destination(buffer.table);
    const sent = { count: buffer.count, origins: buffer.origins };
    const name = displayName(buffer.table);
    const inserted =
      buffer.transcoded === null ? this.target.insertRows(dest, buffer.columns, buffer.rows) : buffer.transcoded.transcoder!.insert(buffer.transcoded.batches);
    const done = inserted.then(
      () => void this.#loaded.set(name, (this.#loaded.get(name) ?? 0) + sent.count),
      (error: unknown) => {
        throw locate(error, dest, sent);
      },
    );
    // NOTE: rejections are taken by #settleOldest; one nobody waits for (the restore failed
    // elsewhere and rolls back) must not be reported as unhandled.
    done.catch(() => undefined);
    this.#inFlight.push({ done, transcoded: buffer.transcoded !== null });
  }

  /** Wait for the oldest insert still running; its error, if it failed (the later ones then fail too). */
  async #settleOldest(): Promise<void> {
    await this.#inFlight.shift()?.done;
  }

  /** Forget what is buffered and what was counted since `mark` (a table skipped by --tolerate). */
  discard(mark: ReadonlyMap<string, number>): void {
    this.#inFlight = [];
    this.#buffers.clear();
    this.#pending = 0;
    this.#pendingBytes = 0;
    this.#loaded.clear();
    for (const [k, v] of mark) this.#loaded.set(k, v);
  }
}

/** Name the module file and line of the row the target rejected. */
function locate(error: unknown, table: TableSchema, buffer: Pick<Buffer, "origins">): GenDumpError {
  const wrapped = databaseError("RESTORE", `Loading table ${displayName(table)} failed`, error, { table: displayName(table) });
  const index = wrapped.context.row;
  const { origins } = buffer;
  let file: string | undefined;
  let line: number | undefined;
  if (index === undefined) {
    file = origins.every((o) => o.file === origins[0]?.file) ? origins[0]?.file : undefined;
  } else {
    let first = 0;
    const origin = origins.find((o) => (first += o.count) > index);
    if (origin !== undefined) {
      file = origin.file;
      line = origin.lines?.[index - (first - origin.count)] ?? undefined;
    }
  }
  const at = file === undefined ? "" : line === undefined ? `${file}: ` : `${file}:${line}: `;
  return new GenDumpError(wrapped.code, `${at}${wrapped.message}`, { ...wrapped.context, ...(file !== undefined ? { file } : {}), line }, { cause: error });
}
