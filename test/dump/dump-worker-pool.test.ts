import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDialect, parseDatabaseUrl } from "../../src/dialects/registry.ts";
import type { WorkerSetup } from "../../src/dump/table-dump-messages.ts";
import { DumpWorkerPool, type TaskOutcome } from "../../src/dump/table-dump-pool.ts";
import { buildShop } from "../check/dump-fixtures.ts";
import { tempDir } from "../support/cli.ts";

function setupFor(path: string, snapshot: string): WorkerSetup {
  return { url: parseDatabaseUrl(path), selection: undefined, snapshot, dir: tempDir("gen-dump-pool-"), maxRowCount: 50_000, simulate: true };
}

describe("DumpWorkerPool", () => {
  it("starts its workers before the tables are known, then runs every task once and stops them", async () => {
    const path = await buildShop();
    const url = parseDatabaseUrl(path);
    const source = await (await loadDialect(url.engine)).openSource({ url });
    try {
      const snapshot = await source.shareSnapshot!();
      expect(snapshot).not.toBeNull();
      // The workers load and open their connections while the main thread introspects.
      const pool = DumpWorkerPool.start(2, setupFor(path, snapshot!));
      const schema = await source.introspect();
      const tasks = schema.tables.map((table) => ({ kind: "table" as const, table }));
      expect(tasks.length).toBeGreaterThan(2);
      const outcomes = new Map<number, TaskOutcome>();
      const readers = await pool.run(tasks, { onOutcome: (id, outcome) => outcomes.set(id, outcome), stopOnError: true });
      expect(readers).toBe(2);
      expect([...outcomes.keys()].sort((a, b) => a - b)).toEqual(tasks.map((_, i) => i));
      for (const outcome of outcomes.values()) expect(outcome).toHaveProperty("modules");
      await pool.close(); // again: a no-op
    } finally {
      await source.close();
    }
  });

  it("fails the run with the worker's own message when a worker cannot open the database", async () => {
    const missing = join(tempDir("gen-dump-pool-"), "missing.sqlite3");
    const pool = DumpWorkerPool.start(2, setupFor(missing, "sqlite-shared-lock"));
    const schema = { kind: "table" as const, table: { key: "main.t", name: "t" } } as never;
    await expect(pool.run([schema, schema], { onOutcome: () => undefined, stopOnError: true })).rejects.toThrow(/missing\.sqlite3/);
  });

  it("stops workers that were started but are not needed (nothing to share out)", async () => {
    const path = await buildShop();
    const pool = DumpWorkerPool.start(2, setupFor(path, "sqlite-shared-lock"));
    // Resolves only once both threads are gone; a worker left running would keep the test's process alive.
    await expect(pool.close()).resolves.toBeUndefined();
  });
});
