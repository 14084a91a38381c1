import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PgSession, openSession } from "../../src/dialects/postgres/postgres-connection.ts";
import { parseDatabaseUrl } from "../../src/dialects/registry.ts";
import { type TestDatabase, createTestDatabase } from "../support/postgres-db.ts";

/** What a COPY gives through the session's reader: its text, or the error it ends with. */
async function copyText(session: PgSession, sql: string): Promise<string | Error> {
  let text = "";
  try {
    for await (const [src, start, end] of session.copyOut(sql)) text += src.toString("utf8", start, end);
    return text;
  } catch (error) {
    return error as Error;
  }
}

/** gen-dump's COPY reader against a real server: whole lines, the server's errors, and a session that goes on. */
describe("PostgreSQL COPY reader", () => {
  let db: TestDatabase;
  let session: PgSession;

  beforeAll(async () => {
    db = await createTestDatabase("pg_copy_out");
    session = await openSession(parseDatabaseUrl(db.url));
  });
  afterAll(async () => {
    await session?.close();
    await db?.drop();
  });

  it("gives COPY's text as the server writes it, long rows and many runs included", async () => {
    const sql = "COPY (SELECT i, repeat(md5(i::text), i % 97), CASE WHEN i % 2000 = 7 THEN repeat('x', 3000000) END FROM generate_series(1, 20000) AS i) TO STDOUT";
    const text = await copyText(session, sql);
    expect(text instanceof Error ? text.stack : "text").toBe("text");
    const lines = (text as string).split("\n");
    expect(lines.length).toBe(20001);
    // Row 7: a 3 MB field, more than a run of the reader's buffer.
    expect(lines[6]).toBe(`7\t${"8f14e45fceea167a5a36dedd4bea2543".repeat(7)}\t${"x".repeat(3000000)}`);
    expect(lines[7]).toBe(`8\t${"c9f0f895fb98ab9159f51fd0297e236d".repeat(8)}\t\\N`);
    expect(lines[19999]!.startsWith("20000\t")).toBe(true);
    expect(await session.query("SELECT 1 AS one")).toEqual([{ one: 1 }]);
  });

  it("ends with the server's error when the COPY fails half way, and the session goes on", async () => {
    const error = await copyText(session, "COPY (SELECT i, 1 / (i - 5000) FROM generate_series(1, 10000) AS i) TO STDOUT");
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/division by zero/);
    expect(await session.query("SELECT 2 AS two")).toEqual([{ two: 2 }]);
  });

  it("reads and drops the rest when the reader stops early, and the session goes on", async () => {
    for await (const [src, start] of session.copyOut("COPY (SELECT i FROM generate_series(1, 300000) AS i) TO STDOUT")) {
      expect(src.toString("utf8", start, start + 2)).toBe("1\n");
      break;
    }
    expect(await session.query("SELECT 3 AS three")).toEqual([{ three: 3 }]);
  });
});
