import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./postgres-db.ts";

describe("test PostgreSQL server", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("harness");
  });
  afterAll(async () => {
    await db.drop();
  });

  it("gives each test its own database", async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ db: string; su: boolean }>(
        "SELECT current_database() AS db, rolsuper AS su FROM pg_roles WHERE rolname = current_user",
      );
      expect(rows[0]).toEqual({ db: db.name, su: true });
    } finally {
      await client.end();
    }
  });
});
