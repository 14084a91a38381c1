import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDump } from "../../src/check/check-dump.ts";
import type { CheckProblem, CheckReport } from "../../src/check/check-report.ts";
import { restoreDirectory } from "../../src/restore/dump-directory.ts";
import { tempDir } from "../support/cli.ts";
import { type TestDatabase, createTestDatabase } from "../support/postgres-db.ts";
import { sqliteFacts } from "../support/sqlite-facts.ts";
import { buildShop, columnOf, copyDump, dumpTo, editLine, insertLineAfter, pgExec, sqliteDatabase } from "./dump-fixtures.ts";

/** The one error of a report, asserting there is exactly one. */
function onlyError(report: CheckReport): CheckProblem {
  expect(report.errors.map((e) => `${e.file}:${e.line}:${e.col} ${e.message}`)).toHaveLength(1);
  return report.errors[0]!;
}

describe("checkDump on SQLite (the shop sample)", () => {
  let source: string;
  let clean: string;

  beforeAll(async () => {
    source = await buildShop();
    clean = await dumpTo(source);
  });

  it("passes a fresh dump without errors or notes, without the compiler", async () => {
    const report = await checkDump(clean);
    expect(report.errors).toEqual([]);
    expect(report.notes).toEqual([]);
    expect(report.tables).toBe(7);
    expect(report.rows).toBe(23);
    expect(report.compiled).toEqual([]);
  });

  it("allows and notes a valid edit, which restores", async () => {
    const dir = copyDump(clean);
    editLine(dir, "data/orders.ts", (l) => l.startsWith("[1, 1,"), (l) => l.replace('"first"', '"first, edited"'));
    const report = await checkDump(dir);
    expect(report.errors).toEqual([]);
    expect(report.notes).toEqual([expect.objectContaining({ code: "edited", file: "data/orders.ts" })]);
    const target = join(tempDir(), "restored.sqlite3");
    await restoreDirectory(dir, { db: target, noinput: true });
    expect(JSON.stringify([...(sqliteFacts(target).data as Map<string, unknown>)])).toContain("first, edited");
  });

  it("catches a value of the wrong type with file:line:col, table and column", async () => {
    const dir = copyDump(clean);
    const line = editLine(dir, "data/products.ts", (l) => l.includes("129900"), (l) => l.replace("129900", '"lots"'));
    const error = onlyError(await checkDump(dir));
    expect(error).toMatchObject({ code: "type", file: "data/products.ts", line, table: "products", column: "price_cents" });
    expect(error.col).toBe(columnOf(dir, "data/products.ts", line, '"lots"'));
    expect(error.message).toContain("Type 'string' is not assignable to type 'Int'");
  });

  it("gives the same verdict and position as the TypeScript compiler (--compile-all)", async () => {
    const dir = copyDump(clean);
    const line = editLine(dir, "data/products.ts", (l) => l.includes("129900"), (l) => l.replace("129900", '"lots"'));
    editLine(dir, "data/customers.ts", (l) => l.startsWith("[5,"), (l) => l.replace('"big@example.com"', "null"));
    const fast = await checkDump(dir);
    const compiled = await checkDump(dir, { compileAll: true });
    const located = (r: CheckReport) =>
      r.errors.filter((e) => e.file?.startsWith("data/")).map((e) => [e.file, e.line, e.col, e.column, e.message.split(".")[0]]);
    expect(located(compiled)).toEqual(located(fast));
    expect(located(fast)).toContainEqual(["data/products.ts", line, 2 + '["A-1", "Anvil", '.length - 1, "price_cents", "Type 'string' is not assignable to type 'Int'"]);
    expect(located(fast)).toContainEqual(expect.arrayContaining(["data/customers.ts", "email", "Type 'null' is not assignable to type 'Text'"]));
    expect(compiled.compiled).toContain("data/products.ts");
  });

  it("catches a duplicate primary key, naming both rows", async () => {
    const dir = copyDump(clean);
    const line = insertLineAfter(dir, "data/orders.ts", (l) => l.startsWith("[2, 2,"), '[1, 2, "2024-03-01 08:30:00", null],');
    const error = onlyError(await checkDump(dir));
    expect(error).toMatchObject({ code: "duplicate", file: "data/orders.ts", line, col: 2, table: "orders", column: "id" });
    expect(error.message).toContain("primary key (id)");
    expect(error.message).toContain(`data/orders.ts:${line - 2}`);
  });

  it("catches a duplicate unique key", async () => {
    const dir = copyDump(clean);
    const line = editLine(dir, "data/customers.ts", (l) => l.startsWith("[2,"), (l) => l.replace("bob@example.com", "ann@example.com"));
    const error = onlyError(await checkDump(dir));
    expect(error).toMatchObject({ code: "duplicate", file: "data/customers.ts", line, table: "customers", column: "email" });
  });

  it("catches a dangling reference, also to a table checked later and to its own table", async () => {
    const dir = copyDump(clean);
    const orders = editLine(dir, "data/orders.ts", (l) => l.startsWith("[7, 1,"), (l) => l.replace("[7, 1,", "[7, 99,"));
    const customers = editLine(dir, "data/customers.ts", (l) => l.startsWith("[3,"), (l) => l.replace('sep", 2,', 'sep", 42,'));
    const departments = editLine(dir, "data/departments.ts", (l) => l.startsWith("[1,"), (l) => l.replace("[1, \"Sales\", 1]", '[1, "Sales", 3]'));
    const report = await checkDump(dir);
    const found = report.errors.map((e) => [e.code, e.file, e.line, e.table, e.column]);
    expect(found).toEqual(
      expect.arrayContaining([
        ["dangling", "data/orders.ts", orders, "orders", "customer_id"],
        ["dangling", "data/customers.ts", customers, "customers", "referred_by"],
        ["dangling", "data/departments.ts", departments, "departments", "manager_id"],
      ]),
    );
    expect(report.errors).toHaveLength(3);
    const order = report.errors.find((e) => e.file === "data/orders.ts")!;
    expect(order.col).toBe(columnOf(dir, "data/orders.ts", orders, "99"));
    expect(order.message).toMatch(/99 has no row in customers \(id\)/);
  });

  it("catches a syntax error with file:line, through the compiler", async () => {
    const dir = copyDump(clean);
    const line = editLine(dir, "data/orders.ts", (l) => l.startsWith("[2,"), (l) => l.replace("[2,", "[2,,, oops("));
    const report = await checkDump(dir);
    expect(report.errors.length).toBeGreaterThan(0);
    expect(report.errors[0]).toMatchObject({ file: "data/orders.ts", line, table: "orders" });
    expect(report.compiled).toEqual(["data/orders.ts"]);
  });

  it("reads a module edited into more than literals through the compiler and still checks its keys", async () => {
    const dir = copyDump(clean);
    editLine(dir, "data/orders.ts", (l) => l.startsWith("[7, 1,"), (l) => l.replace("[7, 1,", "[3 + 4, 1,"));
    const line = insertLineAfter(dir, "data/orders.ts", (l) => l.startsWith("[7, 1,") || l.startsWith("[3 + 4"), '[1, 1, "2024-01-01 00:00:00", null],');
    const error = onlyError(await checkDump(dir));
    expect(error).toMatchObject({ code: "duplicate", file: "data/orders.ts", line, table: "orders", column: "id" });
    expect((await checkDump(dir)).compiled).toEqual(["data/orders.ts"]);
  });

  it("type-checks every module with the compiler when schema.ts was edited", async () => {
    const dir = copyDump(clean);
    editLine(dir, "schema.ts", (l) => l.startsWith('  "products": ['), (l) => l.replace("price_cents: Int", "price_cents: Text"));
    const report = await checkDump(dir);
    expect(report.compiled).toEqual(expect.arrayContaining(["schema.ts", "data/products.ts", "data/orders.ts"]));
    const products = report.errors.filter((e) => e.file === "data/products.ts");
    expect(products).toHaveLength(3);
    expect(products[0]).toMatchObject({ code: "type", line: 7, table: "products", column: "price_cents" });
    expect(products[0]!.message).toContain("not assignable to type 'Text'");
    expect(report.notes).toContainEqual(expect.objectContaining({ code: "edited", file: "schema.ts" }));
  });

  it("locates an error in restore.ts that keeps the dump from loading", async () => {
    const dir = copyDump(clean);
    const line = editLine(dir, "restore.ts", (l) => l.startsWith("export const dump = {"), (l) => l.replace("{", "{{"));
    const report = await checkDump(dir);
    expect(report.errors.length).toBeGreaterThan(0);
    expect(report.errors[0]).toMatchObject({ code: "syntax", file: "restore.ts" });
    expect(report.errors[0]!.line).toBeGreaterThanOrEqual(line);
  });

  it("reports files missing or added since the dump", async () => {
    const dir = copyDump(clean);
    rmSync(join(dir, "data", "products.ts"));
    writeFileSync(join(dir, "notes.txt"), "mine");
    const report = await checkDump(dir);
    expect(report.notes.map((n) => [n.code, n.file])).toEqual(
      expect.arrayContaining([
        ["missing-file", "data/products.ts"],
        ["extra-file", "notes.txt"],
      ]),
    );
    expect(report.errors).toEqual([expect.objectContaining({ code: "missing-file", file: "data/products.ts", table: "products" })]);
    expect(report.notes).toContainEqual(expect.objectContaining({ code: "skipped", table: "order_items", message: expect.stringContaining("data/products.ts, rows of products, is missing") }));
  });

  it("lists at most --max-listed errors of one kind per table and counts the rest", async () => {
    const dir = copyDump(clean);
    for (const id of [1, 2, 7]) editLine(dir, "data/orders.ts", (l) => l.startsWith(`[${id}, `), (l) => l.replace(/^\[\d+, \d+,/, `[${id}, 77,`));
    const report = await checkDump(dir, { maxListed: 2 });
    expect(report.errors.filter((e) => e.code === "dangling")).toHaveLength(2);
    expect(report.errors.find((e) => e.code === "more")?.message).toContain("1 more dangling references not listed (3 in all)");
  });

  it("does not flag references the source itself left dangling, and says so", async () => {
    const db = sqliteDatabase(`
      PRAGMA foreign_keys = OFF;
      CREATE TABLE parent (id INTEGER PRIMARY KEY);
      CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id));
      INSERT INTO parent VALUES (1);
      INSERT INTO child VALUES (1, 1), (2, 404);
    `);
    const report = await checkDump(await dumpTo(db));
    expect(report.errors).toEqual([]);
    expect(report.notes).toEqual([expect.objectContaining({ code: "skipped", table: "child" })]);
    expect(report.notes[0]!.message).toContain("already had 1 dangling reference");
  });
});

describe("checkDump on PostgreSQL", () => {
  let database: TestDatabase;
  let clean: string;

  beforeAll(async () => {
    database = await createTestDatabase("check");
    await pgExec(
      database.url,
      `CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL UNIQUE, born date, active boolean NOT NULL DEFAULT true);
       CREATE TABLE posts (id bigint PRIMARY KEY, author integer NOT NULL REFERENCES users(id), title text, score numeric(6,2));
       INSERT INTO users VALUES (1, 'ann@example.com', '1990-01-31', true), (2, 'bob@example.com', NULL, false);
       INSERT INTO posts VALUES (10, 1, 'hello', 1.50), (11, 2, 'again', NULL), (12, 1, NULL, -3);`,
    );
    clean = await dumpTo(database.url);
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("passes a fresh dump", async () => {
    const report = await checkDump(clean);
    expect(report.errors).toEqual([]);
    expect(report.rows).toBe(5);
  });

  it("catches a wrong type, a duplicate unique key and a dangling reference, with file:line", async () => {
    const dir = copyDump(clean);
    const users = "data/public.users.ts";
    const posts = "data/public.posts.ts";
    const wrong = editLine(dir, users, (l) => l.startsWith("[2,"), (l) => l.replace("false]", '"no"]'));
    const dup = insertLineAfter(dir, users, (l) => l.startsWith("[2,"), '[3, "ann@example.com", null, true],');
    const dangling = editLine(dir, posts, (l) => l.startsWith("[11,"), (l) => l.replace("[11, 2,", "[11, 9,"));
    const report = await checkDump(dir);
    expect(report.errors.map((e) => [e.code, e.file, e.line, e.table, e.column])).toEqual([
      ["type", users, wrong, "public.users", "active"],
      ["duplicate", users, dup, "public.users", "email"],
      ["dangling", posts, dangling, "public.posts", "author"],
    ]);
  });

  it("catches a duplicate primary key and a syntax error, with file:line:col", async () => {
    const dir = copyDump(clean);
    const users = "data/public.users.ts";
    const posts = "data/public.posts.ts";
    const dup = insertLineAfter(dir, users, (l) => l.startsWith("[2,"), '[1, "zed@example.com", null, true],');
    const broken = editLine(dir, posts, (l) => l.startsWith("[12,"), (l) => l.replace("[12, 1,", "[12 1,"));
    const report = await checkDump(dir);
    const duplicate = report.errors.find((e) => e.code === "duplicate")!;
    expect(duplicate).toMatchObject({ file: users, line: dup, col: 2, table: "public.users", column: "id" });
    expect(duplicate.message).toContain(`(${users}:7)`);
    expect(report.errors.find((e) => e.file === posts)).toMatchObject({ code: "syntax", line: broken, table: "public.posts" });
    expect(report.compiled).toEqual([posts]);
  });

  it("accepts and notes a valid edit, which restores into PostgreSQL", async () => {
    const dir = copyDump(clean);
    editLine(dir, "data/public.posts.ts", (l) => l.startsWith("[11,"), (l) => l.replace('"again"', '"again, edited"'));
    const report = await checkDump(dir);
    expect(report.errors).toEqual([]);
    expect(report.notes).toEqual([expect.objectContaining({ code: "edited", file: "data/public.posts.ts" })]);
    const target = await createTestDatabase("check_edit");
    try {
      await restoreDirectory(dir, { db: target.url, noinput: true });
      const client = new pg.Client({ connectionString: target.url });
      await client.connect();
      try {
        expect((await client.query("SELECT title FROM posts WHERE id = 11")).rows).toEqual([{ title: "again, edited" }]);
      } finally {
        await client.end();
      }
    } finally {
      await target.drop();
    }
  });
});
