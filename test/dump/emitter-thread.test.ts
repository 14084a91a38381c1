import { describe, expect, it } from "vitest";
import { EmitterThread } from "../../src/dump/emitter-thread.ts";
import { loadDialect, parseDatabaseUrl } from "../../src/dialects/registry.ts";
import { type DumpManifest, emitRestoreModule } from "../../src/emitter/restore-module-emitter.ts";
import { emitSchemaModule } from "../../src/emitter/schema-module-emitter.ts";
import type { DatabaseSchema } from "../../src/model/schema-model.ts";
import { buildShop } from "../check/dump-fixtures.ts";

/**
 * The shop sample's schema, from a file built for this test.
 * NOTE: not samples/shop.sqlite3: that file is not in the repository, only `npm run demo`
 * (and the test that runs it) builds it, so reading it made this test depend on the order
 * the test files ran in.
 */
async function sampleSchema(): Promise<DatabaseSchema> {
  const url = parseDatabaseUrl(await buildShop());
  const source = await (await loadDialect(url.engine)).openSource({ url });
  try {
    return await source.introspect();
  } finally {
    await source.close();
  }
}

const MANIFEST: DumpManifest = {
  genDumpVersion: "0.0.0",
  formatVersion: 1,
  source: { engine: "sqlite", database: "shop \"*/ \u2028", serverVersion: "3" },
  appVersion: "1.2",
  failedTables: [],
  modules: [{ file: "data/main.customer.ts", table: "main.customer", rows: 3 }],
};

describe("EmitterThread", () => {
  it("writes schema.ts and restore.ts exactly as the emitters do in the main thread", async () => {
    const schema = await sampleSchema();
    const thread = new EmitterThread();
    try {
      const texts = await thread.emit(schema, MANIFEST);
      expect(texts.schema).toBe(emitSchemaModule(schema));
      expect(texts.restore).toBe(emitRestoreModule(MANIFEST));
    } finally {
      await thread.close();
    }
  });

  it("fails the emit, naming the cause, when the thread cannot write the modules", async () => {
    const thread = new EmitterThread();
    try {
      // Crosses to the thread (a bigint clones) but no JSON-like literal can hold it.
      const broken = { ...MANIFEST, appVersion: 12n } as unknown as DumpManifest;
      expect(() => emitRestoreModule(broken)).toThrow(/Cannot write bigint/);
      await expect(thread.emit(await sampleSchema(), broken)).rejects.toThrow(/Cannot write bigint/);
    } finally {
      await thread.close();
    }
  });
});
