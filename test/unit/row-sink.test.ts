import { describe, expect, it } from "vitest";
import type { TargetConnection, TranscodedRows } from "../../src/dialects/dialect.ts";
import { GenDumpError } from "../../src/errors.ts";
import type { TableSchema } from "../../src/model/schema-model.ts";
import type { DumpRow } from "../../src/model/values.ts";
import { RowSink } from "../../src/restore/row-sink.ts";

const table = { key: "t", schema: null, name: "t", rowidColumn: null } as unknown as TableSchema;

/** A target whose inserts finish later, one at a time, and can fail at a given row of a given batch. */
function slowTarget(failAt: { batch: number; row: number } | null) {
  const log: string[] = [];
  let running = 0;
  let batch = 0;
  const target = {
    async insertRows(_table: TableSchema, _columns: readonly string[], rows: readonly DumpRow[]) {
      const n = batch++;
      running++;
      if (running > 1) log.push("overlap");
      log.push(`start ${n} (${rows.length} rows)`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      if (failAt?.batch === n) throw new GenDumpError("RESTORE", `row ${failAt.row} refused`, { table: "t", row: failAt.row });
      log.push(`end ${n}`);
    },
  } as unknown as TargetConnection;
  return { target, log };
}

describe("RowSink", () => {
  it("lets the next batch be read while the last insert runs, one insert at a time", async () => {
    const { target, log } = slowTarget(null);
    const sink = new RowSink(target, new Map([["t", 0]]), (t) => t);
    sink.addBatch(table, ["a"], [[1n], [2n]], "data/t.001.ts", [7, 8]);
    await sink.flush(true);
    log.push("reading the next batch");
    sink.addBatch(table, ["a"], [[3n]], "data/t.002.ts", [7]);
    await sink.flush(true);
    expect(sink.loaded.get("t")).toBe(2);
    await sink.flush();
    expect(log).toEqual(["start 0 (2 rows)", "reading the next batch", "end 0", "start 1 (1 rows)", "end 1"]);
    expect(sink.loaded.get("t")).toBe(3);
  });

  it("reports a failed insert at the next flush, naming the file and line of the row", async () => {
    const { target } = slowTarget({ batch: 0, row: 1 });
    const sink = new RowSink(target, new Map([["t", 0]]), (t) => t);
    sink.addBatch(table, ["a"], [[1n], [2n]], "data/t.001.ts", [7, 8]);
    await sink.flush(true);
    sink.addBatch(table, ["a"], [[3n]], "data/t.002.ts", [7]);
    const error = await sink.flush(true).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GenDumpError);
    expect((error as GenDumpError).message).toBe("data/t.001.ts:8: row 1 refused");
    expect(sink.loaded.get("t")).toBeUndefined();
  });

  it("inserts transcoded batches through their transcoder, merged, and names the file and line of a refused row", async () => {
    const inserted: string[][] = [];
    const transcoder = {
      addLine: () => true,
      addRow: () => undefined,
      take: () => ({ rows: 0, bytes: 0 }),
      async insert(batches: readonly (TranscodedRows & { name: string })[]) {
        inserted.push(batches.map((b) => b.name));
        if (batches.some((b) => b.name === "bad")) throw new GenDumpError("RESTORE", "row 3 refused", { table: "t", row: 3 });
      },
    };
    const target = { rowTranscoder: () => transcoder } as unknown as TargetConnection;
    const sink = new RowSink(target, new Map([["t", 0]]), (t) => t);
    expect(sink.transcoder(table, ["a"], ["integer"])).toBe(transcoder);
    sink.addTranscoded(table, ["a"], { rows: 2, bytes: 10, name: "one" } as TranscodedRows, "data/t.001.ts", [6, 8]);
    sink.addTranscoded(table, ["a"], { rows: 2, bytes: 20, name: "bad" } as TranscodedRows, "data/t.002.ts", [6, 7]);
    expect(sink.pending).toBe(4);
    expect(sink.pendingBytes).toBe(30);
    await expect(sink.flush()).rejects.toThrow("data/t.002.ts:7: row 3 refused");
    expect(inserted).toEqual([["one", "bad"]]);
    sink.addTranscoded(table, ["a"], { rows: 1, bytes: 5, name: "three" } as TranscodedRows, "data/t.003.ts", [6]);
    await sink.flush();
    expect(inserted).toEqual([["one", "bad"], ["three"]]);
    expect(sink.loaded.get("t")).toBe(1);
  });

  it("hands the target one transcoded batch while another runs, never more, and value rows only when none runs", async () => {
    const log: string[] = [];
    let running = 0;
    /** An insert that ends when the test says, failing if told to. */
    const pending = new Map<string, { end: () => void; fail: () => void }>();
    const started = (name: string) =>
      new Promise<void>((resolve, reject) => {
        running++;
        log.push(`start ${name} (${running} running)`);
        const done = (ok: boolean) => () => {
          running--;
          log.push(`end ${name}`);
          if (ok) resolve();
          else reject(new GenDumpError("RESTORE", "row 0 refused", { table: "t", row: 0 }));
        };
        pending.set(name, { end: done(true), fail: done(false) });
      });
    const transcoder = {
      addLine: () => true,
      addRow: () => undefined,
      take: () => ({ rows: 0, bytes: 0 }),
      insert: (batches: readonly (TranscodedRows & { name: string })[]) => started(batches.map((b) => b.name).join("+")),
    };
    const target = { rowTranscoder: () => transcoder, insertRows: (_t: TableSchema, _c: readonly string[], rows: readonly DumpRow[]) => started(`values(${rows.length})`) } as unknown as TargetConnection;
    const sink = new RowSink(target, new Map([["t", 0]]), (t) => t);
    sink.transcoder(table, ["a"], ["integer"]);
    const batch = (name: string, file: string) => sink.addTranscoded(table, ["a"], { rows: 1, bytes: 1, name } as TranscodedRows, file, [6]);
    const tick = () => new Promise((resolve) => setTimeout(resolve, 1));
    batch("one", "data/t.001.ts");
    await sink.flush(true);
    batch("two", "data/t.002.ts");
    await sink.flush(true);
    batch("three", "data/t.003.ts");
    const third = sink.flush(true);
    await tick();
    expect(log).toEqual(["start one (1 running)", "start two (2 running)"]);
    pending.get("one")!.end();
    await third;
    expect(log.slice(2)).toEqual(["end one", "start three (2 running)"]);
    // A value row waits until no insert runs.
    sink.addBatch(table, ["a"], [[1n]], "data/t.004.ts", [9]);
    const values = sink.flush(true);
    pending.get("two")!.end();
    await tick();
    expect(log.slice(4)).toEqual(["end two"]);
    pending.get("three")!.end();
    await values;
    expect(log.slice(5)).toEqual(["end three", "start values(1) (1 running)"]);
    pending.get("values(1)")!.end();
    await sink.flush();
    expect(sink.loaded.get("t")).toBe(4);
    // The first of two queued batches to fail is the one reported, with its file and line.
    batch("bad", "data/t.005.ts");
    await sink.flush(true);
    batch("after", "data/t.006.ts");
    await sink.flush(true);
    const last = sink.flush();
    pending.get("bad")!.fail();
    pending.get("after")!.fail();
    await expect(last).rejects.toThrow("data/t.005.ts:6: row 0 refused");
    expect(sink.loaded.get("t")).toBe(4);
  });

  it("gives no transcoder for a table whose rowid the destination may leave out, nor when the target has none", () => {
    const rowid = { ...table, rowidColumn: "rowid" } as TableSchema;
    const target = { rowTranscoder: () => ({}) } as unknown as TargetConnection;
    expect(new RowSink(target, new Map(), (t) => t).transcoder(rowid, ["rowid", "a"], ["integer", "integer"])).toBeNull();
    expect(new RowSink({} as TargetConnection, new Map(), (t) => t).transcoder(table, ["a"], ["integer"])).toBeNull();
  });

  it("waits for the insert in flight when flushing for good", async () => {
    const { target } = slowTarget({ batch: 0, row: 0 });
    const sink = new RowSink(target, new Map([["t", 0]]), (t) => t);
    sink.addBatch(table, ["a"], [[1n]], "data/t.ts", [5]);
    await expect(sink.flush()).rejects.toThrow("data/t.ts:5: row 0 refused");
  });
});
