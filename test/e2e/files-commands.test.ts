import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildShop, editLine, insertLineAfter, pgExec, sqliteExec } from "../check/dump-fixtures.ts";
import { genDump, run, tempDir, tsxRestore } from "../support/cli.ts";
import { type TestDatabase, createTestDatabase } from "../support/postgres-db.ts";

/** `gen-dump check`, `diff` and `ddt` through the real binary, as people and scripts use them. */

/** Dump with the real binary into DIR/name; returns the dump directory. */
async function dumpWith(db: string, dir: string, name: string, extra: readonly string[] = []): Promise<string> {
  const out = join(dir, name);
  const result = await genDump(["--db", db, ...extra, out]);
  expect(result.code, result.stderr).toBe(0);
  return out;
}

/**
 * NOTE: dumps are ES modules (restore.ts awaits at top level), and Node/tsx read `.ts`
 * files outside a `"type": "module"` package as CommonJS. Until the dump writer marks its
 * directory itself, the dumps of this suite live under a directory that says so.
 */
function moduleScope(dir: string): void {
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
}

function copy(from: string, to: string): string {
  cpSync(from, to, { recursive: true });
  return to;
}

describe("gen-dump check / diff / ddt on SQLite", () => {
  let dir: string;
  let source: string;
  let base: string;

  beforeAll(async () => {
    dir = tempDir("gen-dump-files-e2e-");
    moduleScope(dir);
    source = await buildShop(dir);
    base = await dumpWith(source, dir, "base");
  });

  it("has --help for each command", async () => {
    for (const [command, usage] of [
      ["check", "Usage: gen-dump check [options] DIR"],
      ["diff", "Usage: gen-dump diff [--stat | --json] [options] A B"],
      ["ddt", "Usage: gen-dump ddt [--db URL] [options]"],
    ] as const) {
      const help = await genDump([command, "--help"]);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(usage);
      expect(help.stdout).toContain("--help");
    }
  });

  it("check: exit 0 on a fresh dump, 1 with file:line:col on a broken one, 2 on bad usage", async () => {
    const ok = await genDump(["check", base]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/check .*base: OK, 0 note\(s\); 7 tables, 23 rows/);

    const broken = copy(base, join(dir, "broken"));
    const wrong = editLine(broken, "data/products.ts", (l) => l.includes("129900"), (l) => l.replace("129900", '"lots"'));
    const dup = insertLineAfter(broken, "data/orders.ts", (l) => l.startsWith("[7,"), '[2, 2, "2024-03-01 08:30:00", null],');
    const dangling = editLine(broken, "data/order_items.ts", (l) => l.startsWith("[3,"), (l) => l.replace('"C-3"', '"Z-9"'));
    const syntax = editLine(broken, "data/departments.ts", (l) => l.startsWith("[2,"), (l) => l.replace("[2,", "[2,,, oops("));
    const result = await genDump(["check", broken]);
    expect(result.code).toBe(1);
    const at = (file: string, line: number) => `${join(broken, file)}:${line}:`;
    const col = '["A-1", "Anvil", '.length + 1;
    expect(result.stdout).toContain(`${at("data/products.ts", wrong)}${col}: error: table products, column price_cents: Type 'string' is not assignable to type 'Int'.`);
    expect(result.stdout).toContain(`${at("data/orders.ts", dup)}2: error: table orders, column id: duplicate primary key (id)`);
    expect(result.stdout).toContain(`${at("data/order_items.ts", dangling)}8: error: table order_items, column sku: foreign key (sku) → products: "Z-9" has no row`);
    expect(result.stdout).toContain(`${at("data/departments.ts", syntax)}`);
    // The rows after the syntax error are unknown: references to them are not checked, not reported as dangling.
    expect(result.stdout).not.toContain("error: table employees");
    expect(result.stdout).toContain("note: table employees: foreign key (department_id) → departments not checked");
    expect(result.stdout).toContain(`${join(broken, "data/products.ts")}: note: edited since the dump`);

    const usage = await genDump(["check"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("gen-dump check takes exactly one DIR");
    const json = await genDump(["check", "--json", broken]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).errors.length).toBeGreaterThanOrEqual(4);
  });

  it("diff: 0 and `equal` for the same data split differently, 1 with a readable diff for a change, 2 on error", async () => {
    const split = await dumpWith(source, dir, "split", ["--max-row-count", "2"]);
    const same = await genDump(["diff", base, split]);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toContain("equal: 7 tables, 23 rows\n");

    const changed = join(dir, "changed.sqlite3");
    cpSync(source, changed);
    sqliteExec(changed, "UPDATE products SET title = 'Big anvil' WHERE sku = 'A-1'; INSERT INTO orders (id, customer_id, placed_at) VALUES (8, 2, '2024-04-01 00:00:00');");
    const after = await dumpWith(changed, dir, "after", ["--max-row-count", "2"]);
    const different = await genDump(["diff", base, after]);
    expect(different.code, different.stderr).toBe(1);
    expect(different.stdout).toContain("products: 1 changed, 0 added, 0 removed (3 → 3 rows)\n");
    expect(different.stdout).toContain("orders: 0 changed, 1 added, 0 removed (3 → 4 rows)\n");
    expect(different.stdout).toContain(`--- ${base}/products\n+++ ${after}/products\n`);
    expect(different.stdout).toContain(' // sku = "A-1": title "Anvil" → "Big anvil" (data/products.ts:7 → data/products.001.ts:7)\n');
    expect(different.stdout).toContain('-["A-1", "Anvil", 129900, 50, "[\\"heavy\\",\\"iron\\"]"],\n+["A-1", "Big anvil", 129900, 50, "[\\"heavy\\",\\"iron\\"]"],\n');
    expect(different.stdout).toContain('+[8, 2, "2024-04-01 00:00:00", "auto"],\n');

    const stat = await genDump(["diff", "--stat", base, after]);
    expect(stat.code).toBe(1);
    expect(stat.stdout).toContain("2 of 7 tables differ: 1 rows changed, 1 added, 0 removed\n");
    expect(stat.stdout).not.toContain("---");

    const json = await genDump(["diff", "--json", base, after]);
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout);
    expect(doc.equal).toBe(false);
    const products = doc.tables.find((t: { table: string }) => t.table === "products");
    expect(products.changes[0]).toMatchObject({ change: "changed", key: { sku: '"A-1"' }, columns: [{ column: "title", old: '"Anvil"', new: '"Big anvil"' }] });

    const quiet = await genDump(["diff", "-q", base, after]);
    expect([quiet.code, quiet.stdout]).toEqual([1, ""]);
    const missing = await genDump(["diff", base, join(dir, "nope")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("is not a directory");
    expect((await genDump(["diff", base])).code).toBe(2);
  });

  it("a valid hand edit restores, and shows up in diff", async () => {
    const edited = copy(base, join(dir, "edited"));
    editLine(edited, "data/customers.ts", (l) => l.startsWith("[1,"), (l) => l.replace("4.5", "9.75"));
    expect((await genDump(["check", edited])).code).toBe(0);
    const restored = join(dir, "edited.sqlite3");
    const restore = await tsxRestore(edited, ["--db", restored]);
    expect(restore.code, restore.stderr).toBe(0);
    const again = await dumpWith(restored, dir, "edited-again");
    const shown = await genDump(["diff", base, again]);
    expect(shown.code).toBe(1);
    expect(shown.stdout).toContain(" // id = 1: score 4.5 → 9.75 (data/customers.ts:7)\n");
    expect((await genDump(["diff", edited, again])).code).toBe(0);
  });

  it("plain diff -r shows one line for a changed row, and one added or removed line for an inserted or deleted row", async () => {
    const other = join(dir, "plain.sqlite3");
    cpSync(source, other);
    sqliteExec(other, "UPDATE customers SET score = 7 WHERE id = 3; INSERT INTO products VALUES ('D-4', 'Drill', 5000, 2.5, '[]'); DELETE FROM order_items WHERE order_id = 2;");
    const after = await dumpWith(other, dir, "plain");
    const result = await run("diff", ["-r", base, after]);
    expect(result.code).toBe(1);
    const changes = result.stdout.split("\n").filter((l) => /^[<>] /.test(l));
    // Three data rows; checksums.sha256 names the three files whose checksum changed.
    const dataLines = changes.filter((l) => l.startsWith("< [") || l.startsWith("> ["));
    expect(dataLines).toEqual([
      '< [3, "zoë@example.com", "Zoë 🎉 \\u2028 sep", 2, 1e+308, "text"],',
      '> [3, "zoë@example.com", "Zoë 🎉 \\u2028 sep", 2, 7, "text"],',
      '< [3, 2, "C-3", 2],',
      '> ["D-4", "Drill", 5000, 2.5, "[]"],',
    ]);
  });

  it("plain diff -r of a split table: a row inserted or deleted near the start changes one data file, not every later part", async () => {
    const big = join(dir, "big.sqlite3");
    sqliteExec(big, "CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO big SELECT i, 'row ' || i FROM n;");
    const before = await dumpWith(big, dir, "big-before", ["--max-row-count", "200"]);
    sqliteExec(big, "INSERT INTO big VALUES (0, 'new first row'); DELETE FROM big WHERE id = 7;");
    const after = await dumpWith(big, dir, "big-after", ["--max-row-count", "200"]);
    const parts = readdirSync(join(before, "data")).filter((f) => f.startsWith("big."));
    expect(parts.length).toBeGreaterThanOrEqual(15);
    const result = await run("diff", ["-r", before, after]);
    expect(result.code).toBe(1);
    const files = result.stdout.split("\n").filter((l) => l.startsWith("diff -r ")).map((l) => l.split(" ").at(-1)!.slice(after.length + 1));
    // With fixed parts of 200 rows every part would change (one row in, one row out). The
    // row count is the same (one in, one out), so restore.ts and schema.ts are too.
    expect(files).toEqual(["checksums.sha256", "data/big.001.ts"]);
    const dataLines = result.stdout.split("\n").filter((l) => l.startsWith("< [") || l.startsWith("> ["));
    expect(dataLines).toEqual(['> [0, "new first row"],', '< [7, "row 7"],']);
    const shown = await genDump(["diff", "--stat", before, after]);
    expect(shown.stdout).toContain("big: 0 changed, 1 added, 1 removed (3000 → 3000 rows)\n");
  });

  it("ddt: PASS on the sample (the source untouched), with --keep the dumps stay", async () => {
    const before = readFileSync(source);
    const result = await genDump(["ddt", "--db", source]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^PASS: .*shop\.sqlite3: dump → restore → dump gave identical files \(7 tables, 23 rows\)\n$/);
    expect(readFileSync(source).equals(before)).toBe(true);
    const kept = await genDump(["ddt", "--db", source, "--keep", "--max-row-count", "2"]);
    expect(kept.code).toBe(0);
    const [, first, second] = /dumps kept: (\S+) (\S+)/.exec(kept.stdout)!;
    expect((await genDump(["diff", first!, second!])).code).toBe(0);
    rmSync(dirname(first!), { recursive: true, force: true });
    expect((await genDump(["ddt", "stray"])).code).toBe(2);
  });
});

describe("gen-dump check / diff / ddt on PostgreSQL", () => {
  let database: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    dir = tempDir("gen-dump-files-e2e-pg-");
    moduleScope(dir);
    database = await createTestDatabase("files_e2e");
    await pgExec(
      database.url,
      `CREATE SCHEMA shop;
       CREATE TABLE shop.customers (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, since date);
       CREATE TABLE shop.orders (id integer PRIMARY KEY, customer bigint NOT NULL REFERENCES shop.customers(id), total numeric(10,2), paid boolean NOT NULL);
       INSERT INTO shop.customers VALUES (1, 'ann@example.com', '2020-02-29'), (2, 'bob@example.com', NULL);
       INSERT INTO shop.orders VALUES (1, 1, 10.50, true), (2, 2, 3.00, false), (3, 1, NULL, true);`,
    );
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("check, diff and ddt work the same way", async () => {
    const a = await dumpWith(database.url, dir, "a");
    expect((await genDump(["check", a])).code).toBe(0);

    const edited = copy(a, join(dir, "edited"));
    const line = editLine(edited, "data/shop.orders.ts", (l) => l.startsWith("[2,"), (l) => l.replace("[2, 2,", "[2, 5,"));
    const check = await genDump(["check", edited]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`${join(edited, "data/shop.orders.ts")}:${line}:5: error: table shop.orders, column customer: foreign key (customer) → customers: 5 has no row`);

    await pgExec(database.url, "UPDATE shop.orders SET paid = true WHERE id = 2");
    const b = await dumpWith(database.url, dir, "b", ["--max-row-count", "1"]);
    await pgExec(database.url, "UPDATE shop.orders SET paid = false WHERE id = 2");
    const diff = await genDump(["diff", a, b]);
    expect(diff.code).toBe(1);
    expect(diff.stdout).toContain("shop.orders: 1 changed, 0 added, 0 removed (3 → 3 rows)\n");
    expect(diff.stdout).toContain(" // id = 2: paid false → true (data/shop.orders.ts:8 → data/shop.orders.002.ts:7)\n");
    const stat = await genDump(["diff", "--stat", a, b]);
    expect([stat.code, stat.stdout]).toEqual([1, "shop.customers: equal (2 rows)\nshop.orders: 1 changed, 0 added, 0 removed (3 → 3 rows)\n1 of 2 tables differ: 1 rows changed, 0 added, 0 removed\n"]);
    const json = await genDump(["diff", "--json", a, b]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).tables[1].changes[0]).toMatchObject({ change: "changed", key: { id: "2" }, columns: [{ column: "paid", old: "false", new: "true" }] });
    expect((await genDump(["diff", a, copy(a, join(dir, "a-copy"))])).code).toBe(0);

    const ddt = await genDump(["ddt", "--db", database.url]);
    expect(ddt.code, ddt.stdout + ddt.stderr).toBe(0);
    expect(ddt.stdout).toMatch(/^PASS: postgres:\/\/.*\(2 tables, 5 rows\)\n$/);
    expect(ddt.stdout).not.toContain(new URL(database.url).password);
  });
});
