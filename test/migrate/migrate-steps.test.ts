import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { restoreDirectory } from "../../src/restore/dump-directory.ts";
import { ENGINES, type EngineDb, dumpV1, migrationsModule } from "./migrate-engines.ts";

/** Each primitive of the steps API, on a fresh target of each engine, from a dump at version "1". */
describe.each(ENGINES)("migration steps on $name", (engine) => {
  let dir: string;
  let source: EngineDb;
  const targets: EngineDb[] = [];

  beforeAll(async () => {
    ({ dir, source } = await dumpV1(engine));
  });
  afterAll(async () => {
    for (const t of [source, ...targets]) await t.drop();
  });

  /** Restore the v1 dump to version "2" with `step` (the body of steps["2"]) into a fresh target. */
  async function migrate(step: string): Promise<EngineDb> {
    const target = await engine.create(`${engine.name}_t`);
    targets.push(target);
    const migrations = migrationsModule(`{ versions: ["1", "2"], steps: { "2": (m) => { ${step} } } }`);
    await restoreDirectory(dir, { db: target.url, noinput: true, toVersion: "2", migrations });
    return target;
  }

  it("renameTable: rows arrive in the new table, foreign keys follow", async () => {
    const t = await migrate(`m.renameTable("customer", "client");`);
    expect(await t.tables()).toEqual(["client", "legacy", "orders"]);
    expect(await t.rows("SELECT id, nm FROM client ORDER BY id")).toEqual([{ id: 1, nm: "Ada" }, { id: 2, nm: "Alan" }, { id: 3, nm: "Grace" }]);
    await expect(t.exec("INSERT INTO orders (id, customer_id, amount) VALUES (99, 42, 1)")).rejects.toThrow();
  });

  it("renameColumn: values move to the new column", async () => {
    const t = await migrate(`m.renameColumn("customer", "nm", "name");`);
    expect(await t.rows("SELECT id, name FROM customer ORDER BY id")).toEqual([{ id: 1, name: "Ada" }, { id: 2, name: "Alan" }, { id: 3, name: "Grace" }]);
  });

  it("dropTable and dropColumn: the table and the column are gone", async () => {
    const t = await migrate(`m.dropTable("legacy"); m.dropColumn("customer", "street");`);
    expect(await t.tables()).toEqual(["customer", "orders"]);
    expect(Object.keys((await t.rows("SELECT * FROM customer WHERE id = 1"))[0]!).sort()).toEqual(["city", "id", "nm", "vip"]);
  });

  it("addColumn: a constant, and a function of the row, with the declared type", async () => {
    const t = await migrate(`
      m.addColumn("customer", "country", { type: "text", notNull: true, value: "UK" });
      m.addColumn("customer", "score", { type: "integer", value: (row) => row.id * 10n + (row.vip === 1n ? 1n : 0n) });`);
    expect(await t.rows("SELECT id, country, score FROM customer ORDER BY id")).toEqual([
      { id: 1, country: "UK", score: engine.name === "postgres" ? "11" : 11 },
      { id: 2, country: "UK", score: engine.name === "postgres" ? "20" : 20 },
      { id: 3, country: "UK", score: engine.name === "postgres" ? "31" : 31 },
    ]);
    await expect(t.exec("INSERT INTO customer (id, nm, vip) VALUES (9, 'x', 0)")).rejects.toThrow(); // country is NOT NULL
  });

  it("changeColumn: each value replaced by a function of the value and the row", async () => {
    const t = await migrate(`m.changeColumn("customer", "nm", (v, row) => String(v).toUpperCase() + "#" + row.id);`);
    expect((await t.rows("SELECT nm FROM customer ORDER BY id")).map((r) => r.nm)).toEqual(["ADA#1", "ALAN#2", "GRACE#3"]);
  });

  it("changeColumn with a type: the column gets the new definition and the new values", async () => {
    const t = await migrate(`m.changeColumn("legacy", "note", (v) => (v === null ? null : BigInt(String(v).length)), { type: "integer", notNull: true });`);
    expect((await t.rows("SELECT id, note FROM legacy ORDER BY id")).map((r) => [r.id, Number(r.note)])).toEqual([[1, 3], [2, 5]]);
    await expect(t.exec("INSERT INTO legacy (id, note) VALUES (9, NULL)")).rejects.toThrow();
    const kind = await t.rows(engine.name === "postgres" ? "SELECT data_type AS t FROM information_schema.columns WHERE table_name = 'legacy' AND column_name = 'note'" : "SELECT type AS t FROM pragma_table_info('legacy') WHERE name = 'note'");
    expect(kind).toEqual([{ t: engine.name === "postgres" ? "bigint" : "INTEGER" }]);
  });

  it("filterRows: only the rows kept arrive", async () => {
    const t = await migrate(`m.filterRows("orders", (row) => row.amount >= 1000n);`);
    expect((await t.rows("SELECT id FROM orders ORDER BY id")).map((r) => r.id)).toEqual([10, 12]);
  });

  it("replaceRows + createTable: one table split into two", async () => {
    const t = await migrate(`
      m.createTable("address", { columns: { customer_id: { type: "integer", notNull: true }, street: { type: "text" }, city: { type: "text" } }, primaryKey: ["customer_id"], references: { customer_id: { table: "customer" } } });
      m.replaceRows("customer", ({ street, city, ...rest }) => [{ table: "customer", row: rest }, ...(street === null ? [] : [{ table: "address", row: { customer_id: rest.id, street, city } }])]);
      m.dropColumn("customer", "street");
      m.dropColumn("customer", "city");`);
    expect(await t.tables()).toEqual(["address", "customer", "legacy", "orders"]);
    // A created integer column is the neutral integer type: bigint on PostgreSQL (read back as a string).
    expect((await t.rows("SELECT customer_id, street, city FROM address ORDER BY customer_id")).map((r) => ({ ...r, customer_id: Number(r.customer_id) }))).toEqual([
      { customer_id: 1, street: "1 High St", city: "London" },
      { customer_id: 3, street: "2 Navy Way", city: "Arlington" },
    ]);
    expect(await t.rows("SELECT id, nm, vip FROM customer ORDER BY id")).toEqual([{ id: 1, nm: "Ada", vip: 1 }, { id: 2, nm: "Alan", vip: 0 }, { id: 3, nm: "Grace", vip: 1 }]);
  });

  it("replaceRows: two tables merged into one", async () => {
    const t = await migrate(`
      m.replaceRows("legacy", (row) => [{ table: "customer", row: { id: row.id + 100n, nm: row.note } }]);
      m.dropTable("legacy");`);
    expect(await t.tables()).toEqual(["customer", "orders"]);
    expect((await t.rows("SELECT id, nm, vip FROM customer WHERE id > 100 ORDER BY id"))).toEqual([{ id: 101, nm: "old", vip: 0 }, { id: 102, nm: "older", vip: 0 }]);
  });

  it("beforeLoad and afterLoad hooks run SQL inside the restore", async () => {
    const p = (n: number) => (engine.name === "postgres" ? `$${n}` : "?");
    const t = await migrate(`
      m.createTable("audit", { columns: { id: { type: "integer", notNull: true }, what: { type: "text" } }, primaryKey: ["id"] });
      m.beforeLoad(async (db) => { await db.execute("INSERT INTO audit (id, what) VALUES (${p(1)}, ${p(2)})", [1, "before"]); });
      m.afterLoad(async (db) => {
        const rows = await db.query("SELECT count(*) AS n FROM customer");
        await db.execute("INSERT INTO audit (id, what) VALUES (${p(1)}, ${p(2)})", [2, "after " + String(rows[0].n)]);
      });`);
    expect((await t.rows("SELECT id, what FROM audit ORDER BY id")).map((r) => ({ ...r, id: Number(r.id) }))).toEqual([{ id: 1, what: "before" }, { id: 2, what: "after 3" }]);
  });
});
