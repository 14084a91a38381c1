import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GenDumpError } from "../../src/errors.ts";
import { restoreDirectory } from "../../src/restore/dump-directory.ts";
import { ENGINES, type EngineDb, dumpV1, migrationsModule } from "./migrate-engines.ts";

const RENAME_STEP = `(m) => { m.renameTable("customer", "client"); }`;

/** Chains, --simulate, --data-only's pre-flight, and failures that must leave the target as it was. */
describe.each(ENGINES)("version-aware restore on $name", (engine) => {
  let dir: string;
  let source: EngineDb;
  const targets: EngineDb[] = [];

  beforeAll(async () => {
    ({ dir, source } = await dumpV1(engine));
  });
  afterAll(async () => {
    for (const t of [source, ...targets]) await t.drop();
  });

  async function fresh(sql = ""): Promise<EngineDb> {
    const target = await engine.create(`${engine.name}_r`);
    targets.push(target);
    if (sql !== "") await target.exec(sql);
    return target;
  }

  /** A target holding one table of its own: whatever fails, it must still be exactly this. */
  const KEEP = "CREATE TABLE keep (id integer PRIMARY KEY, v text); INSERT INTO keep (id, v) VALUES (1, 'mine');";
  async function expectUntouched(target: EngineDb): Promise<void> {
    expect(await target.tables()).toEqual(["keep"]);
    expect(await target.rows("SELECT id, v FROM keep")).toEqual([{ id: 1, v: "mine" }]);
  }

  async function failing(steps: string, toVersion: string, versions = `["1", "2"]`): Promise<{ error: GenDumpError; target: EngineDb }> {
    const target = await fresh(KEEP);
    const migrations = migrationsModule(`{ versions: ${versions}, steps: ${steps} }`);
    const error = await restoreDirectory(dir, { db: target.url, noinput: true, toVersion, migrations }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GenDumpError);
    return { error: error as GenDumpError, target };
  }

  it("applies a chain over several versions in order, and only up to the target version", async () => {
    const migrations = migrationsModule(`{ versions: ["1", "2", "3"], steps: {
      "2": ${RENAME_STEP},
      "3": (m) => { m.renameColumn("client", "nm", "name"); m.filterRows("client", (row) => row.id !== 2n); } } }`);
    const to3 = await fresh();
    const report = await restoreDirectory(dir, { db: to3.url, noinput: true, toVersion: "3", migrations });
    expect(report.steps.map((s) => s.step)).toEqual(["2", "3"]);
    expect(await to3.rows("SELECT id, name FROM client ORDER BY id")).toEqual([{ id: 1, name: "Ada" }, { id: 3, name: "Grace" }]);
    const to2 = await fresh();
    await restoreDirectory(dir, { db: to2.url, noinput: true, toVersion: "2", migrations });
    expect(await to2.rows("SELECT id, nm FROM client ORDER BY id")).toHaveLength(3);
  });

  it("--simulate reports rows in and out per step and table, and changes nothing", async () => {
    const target = await fresh(KEEP);
    const migrations = migrationsModule(`{ versions: ["1", "2"], steps: { "2": (m) => {
      m.renameTable("customer", "client"); m.filterRows("orders", (row) => row.amount > 100n); } } }`);
    const report = await restoreDirectory(dir, { db: target.url, noinput: true, simulate: true, toVersion: "2", migrations });
    expect(report.simulated).toBe(true);
    const step = report.steps.find((s) => s.step === "2")!;
    const count = (table: string) => step.tables.find((t) => t.table.endsWith(table));
    expect(count("customer")).toEqual({ table: expect.stringMatching(/customer$/), in: 3, out: 0 });
    expect(count("client")).toEqual({ table: expect.stringMatching(/client$/), in: 0, out: 3 });
    expect(count("orders")).toEqual({ table: expect.stringMatching(/orders$/), in: 3, out: 2 });
    expect(report.tables.map((t) => [t.table.replace(/^public\./, ""), t.rows])).toEqual([["client", 3], ["legacy", 2], ["orders", 2]]);
    await expectUntouched(target);
  });

  it("a step that throws on a row: TRANSFORM error naming the step, the file and line; target unchanged", async () => {
    const { error, target } = await failing(`{ "2": (m) => { m.changeColumn("customer", "nm", (v, row) => { if (row.id === 2n) throw new Error("no Alan"); return v; }); } }`, "2");
    expect(error.code).toBe("TRANSFORM");
    expect(error.message).toMatch(/^data\/(public\.)?customer\.ts:\d+: migration step "2" failed in changeColumn\("customer", "nm"\).*no Alan/);
    await expectUntouched(target);
  });

  it("a step missing from the chain, an unknown version, a future version, a step that throws while declaring", async () => {
    const missing = await failing(`{ "2": ${RENAME_STEP} }`, "3", `["1", "2", "3"]`);
    expect(missing.error.message).toContain('no step for version "3"');
    await expectUntouched(missing.target);
    const unknown = await failing(`{ "2": ${RENAME_STEP} }`, "7");
    expect(unknown.error.message).toContain('target version "7"');
    const future = await failing(`{ "1": ${RENAME_STEP} }`, "0", `["0", "1"]`);
    expect(future.error.message).toContain('newer than the target version "0"');
    await expectUntouched(future.target);
    const declaring = await failing(`{ "2": (m) => { throw new Error("half written"); } }`, "2");
    expect(declaring.error.message).toContain('migration step "2" failed declaring its operations: half written');
    const badName = await failing(`{ "2": (m) => { m.renameColumn("custmer", "nm", "name"); } }`, "2");
    expect(badName.error.message).toContain('Migration step "2", renameColumn("custmer", "nm"): there is no table "custmer"');
    await expectUntouched(badName.target);
  });

  it("a produced row that does not fit (wrong kind, unknown column) fails naming the step; target unchanged", async () => {
    const kind = await failing(`{ "2": (m) => { m.addColumn("customer", "n", { type: "integer", value: () => ({ not: "a value" }) }); } }`, "2");
    expect(kind.error.message).toMatch(/data\/(public\.)?customer\.ts:\d+: a row for table \S*customer made by migration step "2" \(addColumn\("customer", "n"\)\) does not fit/);
    await expectUntouched(kind.target);
    const text = await failing(`{ "2": (m) => { m.changeColumn("customer", "vip", () => "yes"); } }`, "2");
    expect(text.error.message).toContain("a string in a column of integer values");
    // A value taken from another column of the row is checked like any other.
    const moved = await failing(`{ "2": (m) => { m.changeColumn("customer", "vip", (_vip, row) => row.nm); } }`, "2");
    expect(moved.error.message).toContain("a string in a column of integer values");
    await expectUntouched(moved.target);
    const column = await failing(`{ "2": (m) => { m.replaceRows("legacy", (row) => [{ table: "legacy", row: { ...row, extra: 1 } }]); } }`, "2");
    expect(column.error.message).toMatch(/data\/(public\.)?legacy\.ts:\d+: a row for table \S*legacy made by migration step "2" \(replaceRows\("legacy"\)\) has column "extra"/);
    await expectUntouched(column.target);
  });

  it("a produced row the database rejects is named by the data module line of its source row", async () => {
    const { error, target } = await failing(`{ "2": (m) => { m.addColumn("customer", "code", { type: "text", notNull: true, value: (row) => (row.id === 2n ? null : "c") }); } }`, "2");
    const file = readdirSync(join(dir, "data")).find((f) => f.endsWith("customer.ts"))!;
    const line = readFileSync(join(dir, "data", file), "utf8").split("\n").findIndex((l) => l.startsWith("[2,")) + 1;
    expect(line).toBeGreaterThan(0);
    expect(error.code).toBe("RESTORE");
    expect(error.message.startsWith(`data/${file}:${line}: `)).toBe(true);
    expect(error.context).toMatchObject({ file: `data/${file}`, line });
    await expectUntouched(target);
  });

  it("--tolerate skips a source table a step fails on, with the rows it made in other tables", async () => {
    const target = await fresh();
    const migrations = migrationsModule(`{ versions: ["1", "2"], steps: { "2": (m) => {
      m.createTable("note", { columns: { id: { type: "integer", notNull: true }, text: { type: "text" } }, primaryKey: ["id"] });
      m.replaceRows("legacy", (row) => { if (row.id === 2n) throw new Error("bad legacy row"); return [{ table: "note", row: { id: row.id, text: row.note } }]; }); } } }`);
    const report = await restoreDirectory(dir, { db: target.url, noinput: true, tolerate: true, toVersion: "2", migrations });
    expect(report.failedTables.map((f) => f.table.replace(/^public\./, ""))).toEqual(["legacy"]);
    expect(report.failedTables[0]!.message).toContain("bad legacy row");
    expect(await target.rows("SELECT count(*) AS n FROM note")).toEqual([{ n: engine.name === "postgres" ? "0" : 0 }]);
    expect(await target.rows("SELECT count(*) AS n FROM customer")).toEqual([{ n: engine.name === "postgres" ? "3" : 3 }]);
  });

  it("an afterLoad hook that throws rolls the whole restore back", async () => {
    const { error, target } = await failing(`{ "2": (m) => { m.afterLoad(async () => { throw new Error("hook says no"); }); } }`, "2");
    expect(error.message).toContain('migration step "2" failed in its afterLoad hook: hook says no');
    await expectUntouched(target);
  });

  const V2_STEP = `{ "2": (m) => {
    m.renameTable("customer", "client"); m.renameColumn("client", "nm", "name");
    m.addColumn("client", "slug", { type: "text", notNull: true, value: (row) => String(row.name).toLowerCase() });
    m.dropColumn("client", "street"); m.dropColumn("client", "city"); } }`;

  it("--data-only: the pre-flight lists every mismatch at once and writes nothing", async () => {
    const target = await fresh(`
      CREATE TABLE client (id integer PRIMARY KEY, name text NOT NULL, slug text NOT NULL, created text NOT NULL);
      CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer NOT NULL, amount text NOT NULL);
      INSERT INTO client (id, name, slug, created) VALUES (7, 'x', 'x', 'today');`);
    const migrations = migrationsModule(`{ versions: ["1", "2"], steps: ${V2_STEP} }`);
    const error = await restoreDirectory(dir, { db: target.url, noinput: true, dataOnly: true, toVersion: "2", migrations }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenDumpError);
    const message = (error as Error).message;
    expect(message).toContain("4 mismatches");
    expect(message).toMatch(/client has no column vip/);
    expect(message).toMatch(/client\.created is NOT NULL without a default/);
    expect(message).toMatch(/orders\.amount is text .*cannot take the dump's integer values/i);
    expect(message).toMatch(/table \S*legacy is missing/);
    expect(await target.rows("SELECT id FROM client")).toEqual([{ id: 7 }]);
  });

  it("--data-only: empties the target's own tables and loads the migrated rows into them", async () => {
    const target = await fresh(`
      CREATE TABLE client (id ${engine.name === "postgres" ? "serial" : "integer"} PRIMARY KEY, name text NOT NULL, slug text NOT NULL, vip integer NOT NULL, note text DEFAULT 'none');
      CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer NOT NULL REFERENCES client (id), amount integer NOT NULL);
      CREATE TABLE legacy (id integer PRIMARY KEY, note text);
      INSERT INTO client (id, name, slug, vip) VALUES (7, 'old', 'old', 0);`);
    const migrations = migrationsModule(`{ versions: ["1", "2"], steps: ${V2_STEP} }`);
    await restoreDirectory(dir, { db: target.url, noinput: true, dataOnly: true, toVersion: "2", migrations });
    expect(await target.rows("SELECT id, name, slug, vip, note FROM client ORDER BY id")).toEqual([
      { id: 1, name: "Ada", slug: "ada", vip: 1, note: "none" },
      { id: 2, name: "Alan", slug: "alan", vip: 0, note: "none" },
      { id: 3, name: "Grace", slug: "grace", vip: 1, note: "none" },
    ]);
    expect((await target.rows("SELECT id FROM orders ORDER BY id")).map((r) => r.id)).toEqual([10, 11, 12]);
    // The application's next insert gets the next key (PostgreSQL: the serial's sequence was moved).
    await target.exec("INSERT INTO client (name, slug, vip) VALUES ('new', 'new', 0)");
    expect(await target.rows("SELECT id FROM client WHERE name = 'new'")).toEqual([{ id: 4 }]);
  });
});
