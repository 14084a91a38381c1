import { PassThrough } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CopyFramer, CopyOutQuery } from "../../src/dialects/postgres/postgres-copy-out.ts";
import { CopyTranscoder, transcodeCopy } from "../../src/dialects/postgres/postgres-copy-transcoder.ts";
import { copyLineReader } from "../../src/dialects/postgres/postgres-reader.ts";
import { encodeRow } from "../../src/encoding/literal-encoder.ts";
import type { TableSchema } from "../../src/model/schema-model.ts";
import type { ValueKind } from "../../src/model/values.ts";

/** One protocol message: its type byte, a length that counts itself, the body. */
function message(type: string, body: Buffer | string = Buffer.alloc(0)): Buffer {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  const head = Buffer.alloc(5);
  head[0] = type.charCodeAt(0);
  head.writeUInt32BE(bytes.length + 4, 1);
  return Buffer.concat([head, bytes]);
}

/** What the server sends for `COPY … TO STDOUT` of `lines`, a notice in the middle; and what follows CopyDone. */
function copyOut(lines: readonly string[], tail: readonly Buffer[] = [message("c"), message("C", "COPY 3\0"), message("Z", "T")]): Buffer {
  const data = lines.map((l) => message("d", l));
  const notice = message("N", "SNOTICE\0Mhello\0\0");
  return Buffer.concat([message("H", Buffer.from([0, 0, 2, 0, 0, 0, 0])), ...data.slice(0, 1), notice, ...data.slice(1), ...tail]);
}

/** `whole` cut at the positions `cuts`, each piece a copy (the framer moves bytes inside the chunks it is given, as its socket's). */
function cut(whole: Buffer, cuts: readonly number[]): Buffer[] {
  const at = [0, ...[...cuts].sort((a, b) => a - b), whole.length];
  return at.slice(1).map((end, i) => Buffer.from(whole.subarray(at[i]!, end)));
}

const LINES = Array.from({ length: 200 }, (_, i) => `${i}\tna\u00efve \\t ${"\u2603".repeat(i % 7)}\t${i % 5 === 0 ? "\\N" : "x".repeat(i * 3)}\n`);

describe("CopyFramer", () => {
  it("gives the lines back to back and stops at CopyDone, however the messages are cut into chunks", () => {
    const whole = copyOut(LINES);
    const afterData = whole.indexOf(message("c"));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: whole.length }), { maxLength: 60 }), (cuts) => {
        const framer = new CopyFramer();
        let text = "";
        let rest: Buffer[] = [];
        for (const chunk of cut(whole, cuts)) {
          if (framer.rest !== null) {
            rest.push(chunk);
            continue;
          }
          framer.push(chunk);
          const end = framer.wholeLines();
          text += framer.lines.toString("utf8", 0, end);
          framer.consume(end);
          if (framer.rest !== null) rest = [framer.rest];
        }
        expect(text).toBe(LINES.join(""));
        expect(framer.used).toBe(0);
        expect(Buffer.concat(rest)).toEqual(whole.subarray(afterData));
      }),
      { numRuns: 300 },
    );
  });

  it("stops at an ErrorResponse, leaving it to the driver", () => {
    const error = message("E", "SERROR\0C22012\0Mdivision by zero\0\0");
    const whole = copyOut(LINES.slice(0, 3), [error, message("Z", "E")]);
    const framer = new CopyFramer();
    expect(framer.push(Buffer.from(whole))).toBe(false);
    expect(framer.lines.toString("utf8", 0, framer.wholeLines())).toBe(LINES.slice(0, 3).join(""));
    expect(framer.rest).toEqual(Buffer.concat([error, message("Z", "E")]));
  });

  it("refuses a message COPY does not send", () => {
    expect(() => new CopyFramer().push(message("D", "x"))).toThrow(/unexpected protocol message \(type "D"\)/);
  });
});

/**
 * A stand-in for pg around a CopyOutQuery: a socket (a PassThrough) whose 'data' listener
 * is pg's message reader, which only tells the query about ErrorResponse and ReadyForQuery.
 */
function fakePg(chunks: readonly Buffer[]): { query: CopyOutQuery; pgRead: () => Buffer; stream: PassThrough } {
  const stream = new PassThrough();
  const query = new CopyOutQuery("COPY t TO STDOUT");
  const read: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => {
    read.push(chunk);
    const all = Buffer.concat(read);
    for (let i = 0; i + 5 <= all.length; i += 1 + all.readUInt32BE(i + 1)) {
      if (i + 1 + all.readUInt32BE(i + 1) > all.length) break;
      if (all[i] === 0x45 && !seen.error) (seen.error = true), query.handleError(new Error("division by zero"));
      if (all[i] === 0x5a && !seen.ready) (seen.ready = true), query.handleReadyForQuery();
    }
  });
  const seen = { error: false, ready: false };
  const connection = {
    stream,
    query: () => {
      // The server answers in pieces, some time apart.
      let i = 0;
      const next = () => {
        if (i < chunks.length) stream.write(chunks[i++]!), setImmediate(next);
      };
      setImmediate(next);
    },
  };
  query.submit(connection);
  return { query, pgRead: () => Buffer.concat(read), stream };
}

function tableOf(kinds: readonly ValueKind[]): TableSchema {
  const columns = kinds.map((kind, i) => ({ name: `c${i}`, kind, generated: null }));
  return { key: "public.t", schema: "public", name: "t", rowidColumn: null, columns } as unknown as TableSchema;
}

describe("CopyOutQuery", () => {
  const kinds: ValueKind[] = ["integer", "text", "text"];
  const expected = LINES.map((l) => {
    const line = Buffer.from(l.slice(0, -1), "utf8");
    return encodeRow(copyLineReader(tableOf(kinds))(line, 0, line.length), kinds) + "\n";
  }).join("");

  it("reads the COPY off the socket and gives pg exactly the bytes from CopyDone on", async () => {
    const whole = copyOut(LINES);
    const { query, pgRead } = fakePg(cut(whole, [3, 700, 701, 5000, whole.length - 9]));
    let text = "";
    for await (const batch of transcodeCopy(query.runs(), new CopyTranscoder(kinds, [0], copyLineReader(tableOf(kinds))))) {
      text += batch.bytes.toString("utf8", 0, batch.lineEnds[batch.rows - 1]!);
    }
    expect(text).toBe(expected);
    expect(pgRead()).toEqual(whole.subarray(whole.indexOf(message("c"))));
  });

  it("rejects with the error pg reports for an ErrorResponse in the middle", async () => {
    const whole = copyOut(LINES.slice(0, 50), [message("E", "SERROR\0Mdivision by zero\0\0"), message("Z", "E")]);
    const { query, pgRead } = fakePg(cut(whole, [100, 2000]));
    const run = async () => {
      for await (const _ of query.runs());
    };
    await expect(run()).rejects.toThrow("division by zero");
    expect(pgRead()[0]).toBe(0x45);
  });

  it("reads a line longer than a run (a big bytea) to its end, however it is cut", async () => {
    const big = `1\t${"ab".repeat(1_500_000)}\n`;
    const whole = copyOut([big, "2\tx\n"]);
    const { query, pgRead } = fakePg(cut(whole, Array.from({ length: 60 }, (_, i) => 17 + i * 65_536)));
    let text = "";
    for await (const [src, start, end] of query.runs()) text += src.toString("utf8", start, end);
    expect(text).toBe(`${big}2\tx\n`);
    expect(pgRead()).toEqual(whole.subarray(whole.indexOf(message("c"))));
  });

  it("drains the rest when the reader stops early with a full run in hand", async () => {
    const lines = Array.from({ length: 60_000 }, (_, i) => `${i}\t${"y".repeat(40)}\n`);
    const whole = copyOut(lines);
    // Chunks of 1.5 MB: the first run the reader hands on is a full one.
    const { query, pgRead } = fakePg(cut(whole, [1_500_000]));
    for await (const [, start, end] of query.runs()) {
      expect(end - start).toBeGreaterThan(1_000_000);
      break;
    }
    expect(pgRead()).toEqual(whole.subarray(whole.indexOf(message("c"))));
  });

  it("closes the connection on output that is not COPY's protocol, failing with what it met", async () => {
    const whole = Buffer.concat([copyOut(LINES.slice(0, 3), []), message("D", "row"), message("c")]);
    const { query, stream } = fakePg([whole]);
    const run = async () => {
      for await (const _ of query.runs());
    };
    await expect(run()).rejects.toThrow(/unexpected protocol message \(type "D"\)/);
    expect(stream.destroyed).toBe(true);
  });

  it("refuses output that ends inside a line", async () => {
    const { query } = fakePg([copyOut(["1\ta\n", "2\tb"])]);
    const run = async () => {
      for await (const _ of query.runs());
    };
    await expect(run()).rejects.toThrow(/COPY's output ended inside a line/);
  });

  it("reads and drops the rest when the consumer stops early, so the session can go on", async () => {
    const whole = copyOut(LINES);
    const { query, pgRead } = fakePg(cut(whole, [200, 400]));
    for await (const [src, start, end] of query.runs()) {
      expect(src.subarray(start, end)).toEqual(Buffer.from(LINES.join(""), "utf8").subarray(0, end - start));
      break;
    }
    expect(pgRead()).toEqual(whole.subarray(whole.indexOf(message("c"))));
  });
});
