import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { genDump, readTree, run, tempDir, tsx, tsxRestore } from "../support/cli.ts";
import { sqliteFacts } from "../support/sqlite-facts.ts";

/** The README's user journey on the bundled sample, through the real binaries. */
describe("gen-dump CLI on SQLite", () => {
  let dir: string;
  let source: string;

  beforeAll(async () => {
    dir = tempDir();
    source = join(dir, "shop.sqlite3");
    const built = await tsx("samples/build-sample.ts", ["shop", source]);
    expect(built.code, built.stderr).toBe(0);
  });

  it("passes the Double Dump Test: dump, restore, dump again gives identical files and data", async () => {
    const a = join(dir, "a");
    const b = join(dir, "b");
    // restore.ts records the source database's file name: restoring into a file of the same
    // name elsewhere makes the second dump byte-identical (README, "Double Dump Test").
    mkdirSync(join(dir, "restored"));
    const restored = join(dir, "restored", "shop.sqlite3");
    const first = await genDump(["--db", source, a]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout + first.stderr).toBe(""); // off a terminal: nothing but errors
    const restore = await tsxRestore(a, ["--db", restored]);
    expect(restore.code, restore.stderr).toBe(0);
    const second = await genDump(["--db", restored, b]);
    expect(second.code, second.stderr).toBe(0);
    expect(readTree(b)).toEqual(readTree(a));
    expect(sqliteFacts(restored)).toEqual(sqliteFacts(source));
  });

  it("npm run demo (the README's first command) passes its Double Dump Test", async () => {
    const demo = await tsx("samples/demo.ts", []);
    expect(demo.code, demo.stdout + demo.stderr).toBe(0);
    expect(demo.stdout).toContain("Double Dump Test passed");
  });

  it("writes one row per line with the column names stated once, and type-checks", async () => {
    const out = join(dir, "typed");
    expect((await genDump(["--db", source, out])).code).toBe(0);
    const products = readFileSync(join(out, "data", "products.ts"), "utf8");
    expect(products).toContain('export default rows<Tables["products"]>("products", ["sku", "title", "price_cents", "weight_kg", "tags"], [\n');
    expect(products).toContain('["A-1", "Anvil", 129900, 50, "[\\"heavy\\",\\"iron\\"]"],\n');
    const tsc = await run(join("node_modules", ".bin", "tsc"), ["--noEmit", "-p", out]);
    expect(tsc.code, tsc.stdout).toBe(0);
    // A hand edit that puts text into an INTEGER column is a type error.
    writeFileSync(join(out, "data", "products.ts"), products.replace("129900", '"lots"'));
    const bad = await run(join("node_modules", ".bin", "tsc"), ["--noEmit", "-p", out]);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toContain("products.ts");
  });

  it("splits a table of more than N rows into numbered modules of at most N rows, and restores them in order", async () => {
    const out = join(dir, "split");
    expect((await genDump(["--db", source, "--max-row-count", "4", out])).code).toBe(0);
    const files = readdirSync(join(out, "data")).filter((f) => f.startsWith("customers")).sort();
    // Boundaries are content-defined (README, "Split tables"): at least ceil(5 / 4) parts,
    // numbered 001, 002, … without a gap, none above 4 rows, none empty.
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(files).toEqual(files.map((_, i) => `customers.${String(i + 1).padStart(3, "0")}.ts`));
    const sizes = files.map((f) => readFileSync(join(out, "data", f), "utf8").split("\n").filter((l) => l.startsWith("[")).length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(5);
    expect(sizes.every((n) => n >= 1 && n <= 4)).toBe(true);
    // A table of at most N rows stays one unnumbered module, even where its rows hold a boundary.
    for (const small of ["products", "employees", "orders"]) {
      expect(readdirSync(join(out, "data")).filter((f) => f.startsWith(`${small}.`))).toEqual([`${small}.ts`]);
    }
    const restored = join(dir, "split.sqlite3");
    expect((await tsxRestore(out, ["--db", restored])).code).toBe(0);
    expect(sqliteFacts(restored)).toEqual(sqliteFacts(source));
    // The same rows give the same parts, byte for byte.
    const again = join(dir, "split-again");
    expect((await genDump(["--db", source, "--max-row-count", "4", again])).code).toBe(0);
    expect(readTree(again)).toEqual(readTree(out));
  });

  it("refuses a non-empty OUTPUT_DIR without --overwrite, and replaces it with", async () => {
    const out = join(dir, "existing");
    expect((await genDump(["--db", source, out])).code).toBe(0);
    writeFileSync(join(out, "stale.txt"), "old");
    const refused = await genDump(["--db", source, "--noinput", out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already exists and is not empty.*--overwrite/);
    const replaced = await genDump(["--db", source, "--overwrite", out]);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(existsSync(join(out, "stale.txt"))).toBe(false);
  });

  it("reports a bad --db clearly and writes nothing", async () => {
    const out = join(dir, "nothing");
    const missing = await genDump(["--db", join(dir, "missing.sqlite3"), out]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("missing.sqlite3");
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes("gen-dump-tmp"))).toEqual([]);
  });

  it("--simulate reads everything, writes nothing and says whether the schema changed", async () => {
    const out = join(dir, "sim");
    const sim = await genDump(["--db", source, "--simulate", out]);
    expect(sim.code, sim.stderr).toBe(0);
    expect(sim.stdout).toContain("no earlier dump");
    expect(existsSync(out)).toBe(false);
    expect((await genDump(["--db", source, out])).code).toBe(0);
    const again = await genDump(["--db", source, "--simulate", out]);
    expect(again.stdout).toContain("the schema is the same");
  });

  it("asks before replacing data in a non-empty target, and a `no` changes nothing", async () => {
    const out = join(dir, "prompt");
    const target = join(dir, "prompt.sqlite3");
    expect((await genDump(["--db", source, out])).code).toBe(0);
    expect((await tsxRestore(out, ["--db", target])).code).toBe(0);
    const before = sqliteFacts(target);
    const no = await tsxRestore(out, ["--db", target], { input: "no\n" });
    expect(no.code).toBe(1);
    expect(no.stderr).toContain("Replace everything in it");
    expect(no.stderr).toContain("Nothing was changed");
    expect(sqliteFacts(target)).toEqual(before);
    const yes = await tsxRestore(out, ["--db", target], { input: "yes\n" });
    expect(yes.code, yes.stderr).toBe(0);
    expect(sqliteFacts(target)).toEqual(sqliteFacts(source));
  });

  it("names file and line of a syntax error in a hand-broken module, and changes nothing", async () => {
    const out = join(dir, "broken");
    const target = join(dir, "broken.sqlite3");
    expect((await genDump(["--db", source, out])).code).toBe(0);
    const file = join(out, "data", "orders.ts");
    const lines = readFileSync(file, "utf8").split("\n");
    const row = lines.findIndex((l) => l.startsWith("[2,"));
    lines[row] = lines[row]!.replace("[2,", "[2,,, oops(");
    writeFileSync(file, lines.join("\n"));
    const result = await tsxRestore(out, ["--db", target, "--noinput"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`data/orders.ts:${row + 1}:`);
    expect(existsSync(target) ? sqliteFacts(target).master : []).toEqual([]);
  });

  it("rejects a value of the wrong kind where tsc would, naming file and line", async () => {
    const out = join(dir, "kind");
    expect((await genDump(["--db", source, out])).code).toBe(0);
    const file = join(out, "data", "products.ts");
    const text = readFileSync(file, "utf8");
    const line = text.split("\n").findIndex((l) => l.includes("129900")) + 1;
    writeFileSync(file, text.replace("129900", '"lots"'));
    const result = await tsxRestore(out, ["--db", join(dir, "kind.sqlite3"), "--noinput"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`data/products.ts:${line}:`);
    expect(result.stderr).toContain("price_cents");
  });

  it("rolls back a constraint failure in the middle of the load: the target is unchanged", async () => {
    const out = join(dir, "dup");
    const target = join(dir, "dup.sqlite3");
    expect((await genDump(["--db", source, out])).code).toBe(0);
    expect((await tsxRestore(out, ["--db", target])).code).toBe(0);
    const before = sqliteFacts(target);
    const file = join(out, "data", "order_items.ts");
    const text = readFileSync(file, "utf8");
    const lines = text.split("\n");
    const first = lines.findIndex((l) => l.startsWith("[1, "));
    lines.splice(first + 2, 0, lines[first]!); // a duplicate primary key, mid-table
    writeFileSync(file, lines.join("\n"));
    const result = await tsxRestore(out, ["--db", target, "--noinput"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`data/order_items.ts:${first + 3}`);
    expect(result.stderr).toMatch(/UNIQUE|PRIMARY KEY|constraint/i);
    expect(sqliteFacts(target)).toEqual(before);
  });

  it("runs restore.ts from a project directory when the dump lives elsewhere, and says how to fix it otherwise", async () => {
    const out = join(dir, "elsewhere");
    expect((await genDump(["--db", source, out])).code).toBe(0);
    const ok = await tsxRestore(out, ["--db", join(dir, "elsewhere.sqlite3")]);
    expect(ok.code, ok.stderr).toBe(0);
    const lost = await tsxRestore(out, ["--db", join(dir, "lost.sqlite3")], { cwd: dir });
    expect(lost.code).toBe(2);
    // One paragraph, not followed by a stack trace of the same error.
    expect(lost.stderr.trim().split("\n")).toEqual([expect.stringContaining("npm install gen-dump")]);
  });
});
