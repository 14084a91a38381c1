import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadDialect, parseDatabaseUrl } from "../../src/dialects/registry.ts";
import { LiteralByteWriter } from "../../src/encoding/literal-bytes.ts";
import { encodeRow } from "../../src/encoding/literal-encoder.ts";
import { dataKinds } from "../../src/model/schema-model.ts";
import { doubleArb } from "../support/value-arbitraries.ts";
import { type TestDatabase, createTestDatabase } from "../support/postgres-db.ts";
import { withClient } from "./postgres-compare.ts";

/**
 * The dump takes a double's COPY text as its literal when the server writes it as
 * JavaScript would (its shortest text, no exponent): the server's own texts of thousands
 * of doubles, float8 and float4, give the same lines as reading them into values.
 */
describe("PostgreSQL dump of doubles", () => {
  let db: TestDatabase;
  const doubles = fc.sample(doubleArb, { numRuns: 4000, seed: 42 });

  beforeAll(async () => {
    db = await createTestDatabase("pg_floats");
    const texts = [...doubles, 0.1 + 0.2, 1e15, 1e16, 123456789012345.6, 1e-4, 1e-5, 0.000123, 1 / 3, 2 / 3, 5e-324, 1.7976931348623157e308].map((v) => (Object.is(v, -0) ? "-0" : String(v)));
    await withClient(db.url, (c) => c.query("CREATE TABLE public.f (id integer PRIMARY KEY, d double precision, r real)"));
    await withClient(db.url, (c) =>
      c.query(
        // NOTE: a double outside float4's range does not fit `real`: NULL there.
        "INSERT INTO public.f SELECT i, t::float8, CASE WHEN t::float8 <> t::float8 OR t::float8 = 0 OR abs(t::float8) BETWEEN 1e-37 AND 3e38 THEN t::float8::float4 END FROM unnest($1::text[]) WITH ORDINALITY AS u(t, i)",
        [texts],
      ),
    );
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("writes every double as reading it into a value and encoding it does, mostly straight from the text", async () => {
    const url = parseDatabaseUrl(db.url);
    const source = await (await loadDialect("postgres")).openSource({ url });
    try {
      const table = (await source.introspect()).tables.find((t) => t.name === "f")!;
      const kinds = dataKinds(table);
      expect(kinds).toEqual(["integer", "real", "real"]);
      let values = "";
      for await (const batch of source.readRows(table)) for (const row of batch) values += encodeRow(row, kinds) + "\n";
      const converted = vi.spyOn(LiteralByteWriter.prototype, "realLiteral");
      let transcoded = "";
      for await (const batch of source.readEncodedRows!(table, [0])) transcoded += batch.bytes.toString("utf8", 0, batch.lineEnds[batch.rows - 1]!);
      const rows = values.split("\n").length - 1;
      expect(rows).toBeGreaterThan(4000);
      expect(transcoded).toBe(values);
      // Only texts with an exponent (or none of the server's shortest form) are converted.
      expect(converted.mock.calls.length).toBeLessThan(rows);
      expect(converted.mock.calls.length).toBeGreaterThan(0);
    } finally {
      vi.restoreAllMocks();
      await source.close();
    }
  });
});
