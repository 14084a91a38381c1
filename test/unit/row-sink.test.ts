import { describe, expect, it } from "vitest";
import type { TargetConnection } from "../../src/dialects/dialect.ts";
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

  it("waits for the insert in flight when flushing for good", async () => {
    const { target } = slowTarget({ batch: 0, row: 0 });
    const sink = new RowSink(target, new Map([["t", 0]]), (t) => t);
    sink.addBatch(table, ["a"], [[1n]], "data/t.ts", [5]);
    await expect(sink.flush()).rejects.toThrow("data/t.ts:5: row 0 refused");
  });
});
