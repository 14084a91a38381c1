import type { Duplex } from "node:stream";

/**
 * `COPY … TO STDOUT` read straight off the connection's socket, as runs of whole lines in
 * one reused buffer. While the COPY runs, the server sends one protocol message per row
 * (CopyData: `d`, a 4-byte length, the row's line); the frames are dropped and the lines
 * copied back to back, so the reader sees COPY's text as pg_dump writes it, with no Buffer
 * object and no stream event per row.
 *
 * NOTE: this is what pg-copy-streams' `to()` does too (take the socket from pg for the
 * COPY, hand it back at CopyDone or an ErrorResponse), minus its Buffer per message, its
 * concatenation and its Readable stream: about 0.5 s of CPU per 1.1M rows, against 0.1 s
 * here. The rest of the query (CommandComplete, ReadyForQuery, an error) goes through pg
 * as for any query: this object is a pg "Submittable".
 * @see https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-COPY
 * @see https://www.postgresql.org/docs/current/protocol-message-formats.html
 */

/** The few members of pg's Connection this uses. */
interface PgConnection {
  readonly stream: Duplex;
  query(text: string): void;
}

const COPY_DATA = 0x64; // d
const COPY_DONE = 0x63; // c
const ERROR_RESPONSE = 0x45; // E
const COPY_OUT_RESPONSE = 0x48; // H
/** Messages the server may send in the middle of a COPY, skipped. */
const INTERSPERSED = new Set([0x4e /* N: notice */, 0x53 /* S: parameter status */, 0x41 /* A: notification */, COPY_OUT_RESPONSE]);

/** Lines gathered before a run is handed on. */
const RUN_BYTES = 1 << 20;

/**
 * The framing of COPY's messages, one socket chunk at a time: CopyData payloads appended
 * to `lines`, everything else skipped, until CopyDone or an ErrorResponse, where it stops
 * and keeps the bytes from there on (`rest`) for pg to read. No I/O: tested on chunks cut
 * anywhere.
 */
export class CopyFramer {
  /** The lines of the CopyData messages so far; `lines[0, used)`. */
  lines = Buffer.allocUnsafe(RUN_BYTES + (RUN_BYTES >> 2));
  used = 0;
  /** The end of the last whole line in `lines` (0: none). */
  #whole = 0;
  /** Set once CopyDone or an ErrorResponse is reached: the bytes from that message on, for pg. */
  rest: Buffer | null = null;
  /** The header of the message being read (its type byte and length), while incomplete. */
  readonly #header = Buffer.alloc(5);
  #headerUsed = 0;
  /** Bytes of the current message's body still to come, and whether they are a line. */
  #bodyLeft = 0;
  #isData = false;

  /**
   * Frame the bytes of `chunk`; returns false once the COPY's data is over (`rest` set).
   * The lines are first moved together inside `chunk` itself, over the headers between
   * them (a memmove each, no object), then appended at once. `chunk` must be the
   * caller's to change: a socket read's buffer is.
   */
  push(chunk: Buffer): boolean {
    let i = 0;
    let kept = 0; // chunk[0, kept): the lines of this chunk so far, moved together
    const n = chunk.length;
    let more = true;
    while (i < n) {
      if (this.#bodyLeft > 0) {
        const take = Math.min(this.#bodyLeft, n - i);
        if (this.#isData) {
          if (kept !== i) chunk.copyWithin(kept, i, i + take);
          kept += take;
        }
        i += take;
        this.#bodyLeft -= take;
        continue;
      }
      // A message header: 1 type byte and a 4-byte length that counts itself.
      if (this.#headerUsed === 0 && (chunk[i] === COPY_DONE || chunk[i] === ERROR_RESPONSE)) {
        this.rest = chunk.subarray(i);
        more = false;
        break;
      }
      if (this.#headerUsed === 0 && i + 5 <= n) {
        this.#startBody(chunk[i]!, chunk.readUInt32BE(i + 1));
        i += 5;
        continue;
      }
      while (this.#headerUsed < 5 && i < n) this.#header[this.#headerUsed++] = chunk[i++]!;
      if (this.#headerUsed === 5) {
        this.#headerUsed = 0;
        this.#startBody(this.#header[0]!, this.#header.readUInt32BE(1));
      }
    }
    // NOTE: `rest` starts at `i`, never before `kept`: moving the lines left leaves it alone.
    if (kept > 0) this.#append(chunk, 0, kept);
    return more;
  }

  /** CopyDone and ErrorResponse never get here: `push` stops at their type byte. */
  #startBody(type: number, length: number): void {
    if (type !== COPY_DATA && !INTERSPERSED.has(type)) {
      throw new Error(`COPY's output held an unexpected protocol message (type ${JSON.stringify(String.fromCharCode(type))}).`);
    }
    this.#isData = type === COPY_DATA;
    this.#bodyLeft = length - 4;
  }

  #append(src: Buffer, start: number, end: number): void {
    const size = end - start;
    if (this.used + size > this.lines.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.lines.length * 2, this.used + size));
      this.lines.copy(grown, 0, 0, this.used);
      this.lines = grown;
    }
    const added = src.subarray(start, end);
    this.lines.set(added, this.used);
    // NOTE: only the bytes just added are searched, so a line of many chunks (a big
    // bytea) costs one pass, not one per chunk.
    const newline = added.lastIndexOf(0x0a);
    if (newline >= 0) this.#whole = this.used + newline + 1;
    this.used += size;
  }

  /** The end of the last whole line of `lines` (0: none yet). */
  wholeLines(): number {
    return this.#whole;
  }

  /**
   * Whether a run's worth of whole lines is there. Counting whole lines only: a line
   * longer than a run is read to its end before anything is handed on.
   */
  get full(): boolean {
    return this.#whole >= RUN_BYTES;
  }

  /** Drop the first `count` bytes of `lines` (whole lines handed on), keeping the rest at the start. */
  consume(count: number): void {
    this.lines.copy(this.lines, 0, count, this.used);
    this.used -= count;
    this.#whole = Math.max(0, this.#whole - count);
  }
}

/**
 * One `COPY … TO STDOUT` as a pg Submittable (pass it to `client.query`): from `submit`
 * until CopyDone or an ErrorResponse it reads the socket itself, only as fast as `runs`
 * is consumed, so memory stays bounded.
 */
export class CopyOutQuery {
  readonly #framer = new CopyFramer();
  #connection: PgConnection | null = null;
  /** pg's own 'data' listener, put back when the COPY's data is over. */
  #pgListener: ((chunk: Buffer) => void) | null = null;
  #attached = false;
  /** Set by pg: ReadyForQuery (the query is over) or an error. */
  #settled = false;
  #error: unknown = null;
  #wake: (() => void) | null = null;
  readonly #onReadable = () => this.#notify();

  constructor(readonly text: string) {}

  /** pg: the query's turn has come. Returns an error instead of throwing, as pg expects. */
  submit(connection: PgConnection): Error | undefined {
    const stream = connection.stream;
    const listeners = stream.listeners("data") as ((chunk: Buffer) => void)[];
    if (listeners.length !== 1) return new Error(`COPY cannot read the connection: it has ${listeners.length} data listeners, not pg's one.`);
    this.#connection = connection;
    this.#pgListener = listeners[0]!;
    stream.removeListener("data", this.#pgListener);
    stream.pause();
    stream.on("readable", this.#onReadable);
    this.#attached = true;
    connection.query(this.text);
    return undefined;
  }

  handleError(error: unknown): void {
    // NOTE: a broken connection reaches here while the socket is still ours.
    if (this.#attached) this.#detach(null);
    this.#error ??= error;
    this.#settled = true;
    this.#notify();
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    this.#settled = true;
    this.#notify();
  }

  /**
   * The COPY's text as runs of whole lines, `src[start, end)`, each valid until the next
   * is asked for. Stopping early reads and drops the rest, so that the session can be
   * used again. Rejects with the server's (or the connection's) error.
   */
  async *runs(): AsyncGenerator<[Buffer, number, number]> {
    const framer = this.#framer;
    let done = false;
    try {
      while (!done) {
        done = !(await this.#fill());
        const end = framer.wholeLines();
        if (end > 0) {
          yield [framer.lines, 0, end];
          framer.consume(end);
        }
      }
      if (framer.used > 0) throw new Error("COPY's output ended inside a line.");
    } finally {
      if (!done) await this.#drain();
    }
  }

  /**
   * Frame what the socket has (waiting for something when it has nothing), until a run's
   * worth is there; false once the query is over (its error thrown).
   */
  async #fill(): Promise<boolean> {
    for (;;) {
      let framed = false;
      if (this.#attached) {
        const stream = this.#connection!.stream;
        let chunk: Buffer | null;
        while (!this.#framer.full && (chunk = stream.read() as Buffer | null) !== null) {
          framed = true;
          if (!this.#push(chunk)) {
            this.#detach(this.#framer.rest);
            break;
          }
        }
        if (framed && this.#attached) return true;
      }
      if (!this.#attached && this.#settled) {
        if (this.#error !== null) throw this.#error;
        return false;
      }
      // NOTE: after the last chunk, `runs` takes what was framed before waiting for pg.
      if (framed) return true;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  /**
   * Frame a chunk. Output that is not COPY's protocol leaves the connection unusable:
   * it is closed (pg then fails this query and the session) rather than handed back to
   * pg in the middle of a message.
   */
  #push(chunk: Buffer): boolean {
    try {
      return this.#framer.push(chunk);
    } catch (error) {
      this.#error ??= error;
      this.#settled = true;
      this.#detach(null);
      this.#connection!.stream.destroy();
      throw error;
    }
  }

  /** Read the rest of the COPY and drop it (what is in hand first: a full buffer reads nothing). */
  async #drain(): Promise<void> {
    try {
      do this.#framer.consume(this.#framer.used);
      while (await this.#fill());
    } catch {
      // The COPY failed while nobody was listening: nothing left to drain.
    }
  }

  /** Give the socket back to pg, with the bytes it must read first (CopyDone or an error on). */
  #detach(rest: Buffer | null): void {
    const stream = this.#connection!.stream;
    this.#attached = false;
    stream.removeListener("readable", this.#onReadable);
    stream.on("data", this.#pgListener!);
    if (rest !== null && rest.length > 0) this.#pgListener!(rest);
    // NOTE: the listener swap leaves the stream paused; resume it once pg has read `rest`.
    process.nextTick(() => stream.resume());
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}
