import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { damageOverflowPage } from "../support/sqlite-damage.ts";
import { beforeAll, describe, expect, it } from "vitest";
import { tableFileStem } from "../../src/planner/file-names.ts";
import { genDump, readTree, repoRoot, tempDir, tsx, tsxRestore } from "../support/cli.ts";
import { sqliteFacts } from "../support/sqlite-facts.ts";

const packageVersion = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

/**
 * Makes node believe stderr and stdin are a terminal, so the terminal-only behaviour
 * (progress, the final summary, the OUTPUT_DIR prompt) runs in a test, as it would for
 * a person at a keyboard. Passed through NODE_OPTIONS to gen-dump and to tsx's child.
 */
function terminalEnv(dir: string): NodeJS.ProcessEnv {
  const preload = join(dir, "fake-terminal.mjs");
  writeFileSync(preload, "process.stderr.isTTY = true;\nprocess.stdin.isTTY = true;\n");
  return { NODE_OPTIONS: `--import ${preload}` };
}

/** A database with one table whose overflow page is damaged: it counts, but cannot be read. */
function buildDamagedDatabase(path: string): void {
  const db = new Database(path);
  db.exec("CREATE TABLE good (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO good VALUES (1, 'a'), (2, 'b');");
  db.exec("CREATE TABLE damaged (id INTEGER PRIMARY KEY, v TEXT)");
  db.prepare("INSERT INTO damaged VALUES (1, ?)").run("A".repeat(20_000));
  const pageSize = Number(db.pragma("page_size", { simple: true }));
  db.close();
  damageOverflowPage(path, pageSize);
}

// Many real gen-dump / tsx processes per test: slow on a loaded machine.
describe("gen-dump and restore.ts flags on SQLite, through the real binaries", { timeout: 180_000 }, () => {
  let dir: string;
  let source: string;
  let dumpDir: string;

  beforeAll(async () => {
    dir = tempDir();
    source = join(dir, "shop.sqlite3");
    const built = await tsx("samples/build-sample.ts", ["shop", source]);
    expect(built.code, built.stderr).toBe(0);
    dumpDir = join(dir, "dump");
    const dumped = await genDump(["--db", source, dumpDir]);
    expect(dumped.code, dumped.stderr).toBe(0);
  });

  it("--help and --version, for gen-dump and restore.ts", async () => {
    for (const args of [["--help"], ["-h"], ["--quiet", "--help"]]) {
      const help = await genDump(args);
      expect(help.code, help.stderr).toBe(0);
      for (const flag of ["--db", "--max-row-count", "--app-version", "--overwrite", "--noinput", "--simulate", "--tolerate", "--table", "--quiet", "--version"]) {
        expect(help.stdout).toContain(flag);
      }
    }
    for (const args of [["--version"], ["-V"], ["--quiet", "--version"]]) {
      const version = await genDump(args);
      expect([version.code, version.stdout]).toEqual([0, `gen-dump ${packageVersion}\n`]);
    }
    const help = await tsxRestore(dumpDir, ["--help"]);
    expect(help.code, help.stderr).toBe(0);
    for (const flag of ["--db", "--noinput", "--simulate", "--tolerate", "--quiet", "--help"]) expect(help.stdout).toContain(flag);
    const unknown = await tsxRestore(dumpDir, ["--frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--help");
  });

  it("takes --db from DATABASE_URL (a path, sqlite: or file: URL) for both commands, and refuses a bad --max-row-count", async () => {
    const fromEnv = join(dir, "from-env");
    const dumped = await genDump([fromEnv], { env: { DATABASE_URL: `sqlite:${source}` } });
    expect(dumped.code, dumped.stderr).toBe(0);
    expect(readTree(fromEnv)).toEqual(readTree(dumpDir));
    const target = join(dir, "from-env.sqlite3");
    const restored = await tsxRestore(dumpDir, [], { env: { DATABASE_URL: pathToFileURL(target).href } });
    expect(restored.code, restored.stderr).toBe(0);
    expect(sqliteFacts(target)).toEqual(sqliteFacts(source));
    const none = await genDump([join(dir, "no-db")]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("DATABASE_URL");
    for (const bad of ["0", "-3", "2.5", "many"]) {
      const result = await genDump(["--db", source, "--max-row-count", bad, join(dir, "bad-count")]);
      expect(result.code, bad).toBe(2);
      expect(result.stderr).toContain("--max-row-count");
    }
    expect(existsSync(join(dir, "no-db")) || existsSync(join(dir, "bad-count"))).toBe(false);
  });

  it("restore.ts inside a project that has gen-dump installed runs from any directory", async () => {
    const project = join(dir, "project");
    mkdirSync(join(project, "node_modules"), { recursive: true });
    symlinkSync(repoRoot, join(project, "node_modules", "gen-dump"), "dir");
    cpSync(dumpDir, join(project, "dumps", "a"), { recursive: true });
    const target = join(dir, "from-project.sqlite3");
    const result = await tsxRestore(join(project, "dumps", "a"), ["--db", target], { cwd: tmpdir() });
    expect(result.code, result.stderr).toBe(0);
    expect(sqliteFacts(target)).toEqual(sqliteFacts(source));
  });

  it("on a terminal shows progress and a summary; --quiet prints nothing", async () => {
    const env = terminalEnv(dir);
    const shown = await genDump(["--db", source, join(dir, "shown")], { env });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stderr).toMatch(/customers .*rows\/s/);
    expect(shown.stderr).toMatch(/Dumped \d+ tables/);
    const quiet = await genDump(["--db", source, "--quiet", join(dir, "quiet")], { env });
    expect([quiet.code, quiet.stdout, quiet.stderr]).toEqual([0, "", ""]);
    expect(readTree(join(dir, "quiet"))).toEqual(readTree(join(dir, "shown")));
    const restored = await tsxRestore(dumpDir, ["--db", join(dir, "shown.sqlite3")], { env });
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stderr).toMatch(/Restored \d+ tables/);
    const quietRestore = await tsxRestore(dumpDir, ["--db", join(dir, "quiet.sqlite3"), "--quiet"], { env });
    expect([quietRestore.code, quietRestore.stdout, quietRestore.stderr]).toEqual([0, "", ""]);
    expect(sqliteFacts(join(dir, "quiet.sqlite3"))).toEqual(sqliteFacts(source));
  });

  it("gen-dump asks before replacing OUTPUT_DIR on a terminal; --noinput refuses without asking", async () => {
    const env = terminalEnv(dir);
    const out = join(dir, "ask");
    expect((await genDump(["--db", source, out])).code).toBe(0);
    writeFileSync(join(out, "mine.txt"), "keep me");
    const no = await genDump(["--db", source, out], { env, input: "n\n" });
    expect(no.code).toBe(1);
    expect(no.stderr).toContain("Replace it with the new dump?");
    expect(existsSync(join(out, "mine.txt"))).toBe(true);
    const noinput = await genDump(["--db", source, "--noinput", out], { env, input: "y\n" });
    expect(noinput.code).toBe(1);
    expect(noinput.stderr).not.toContain("Replace it");
    expect(noinput.stderr).toContain("--overwrite");
    expect(existsSync(join(out, "mine.txt"))).toBe(true);
    const yes = await genDump(["--db", source, out], { env, input: "y\n" });
    expect(yes.code, yes.stderr).toBe(0);
    expect(existsSync(join(out, "mine.txt"))).toBe(false);
  });

  it("restore.ts --noinput replaces a non-empty target without asking", async () => {
    const target = join(dir, "noinput.sqlite3");
    const db = new Database(target);
    db.exec("CREATE TABLE old (x); INSERT INTO old VALUES (1)");
    db.close();
    const result = await tsxRestore(dumpDir, ["--db", target, "--noinput"], { input: "no\n" });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain("Replace everything");
    expect(sqliteFacts(target)).toEqual(sqliteFacts(source));
  });

  it("restore.ts --simulate runs the restore, reports it, and changes nothing (not even creating the file)", async () => {
    const target = join(dir, "simulated.sqlite3");
    const fresh = await tsxRestore(dumpDir, ["--db", target, "--simulate"]);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stdout).toMatch(/^Simulation: would load \d+ tables into .*simulated\.sqlite3; rolled back, nothing changed\./);
    expect(fresh.stdout).toMatch(/ {2}customers: \d+ rows/);
    expect(existsSync(target)).toBe(false);
    const existing = join(dir, "existing.sqlite3");
    expect((await tsxRestore(dumpDir, ["--db", existing])).code).toBe(0);
    const db = new Database(existing);
    db.exec("CREATE TABLE extra (x); INSERT INTO extra VALUES (1); PRAGMA user_version = 99");
    db.close();
    const before = sqliteFacts(existing);
    const replaced = await tsxRestore(dumpDir, ["--db", existing, "--simulate", "--noinput"]);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stdout).toContain("replacing its existing data");
    expect(sqliteFacts(existing)).toEqual(before);
  });

  it("a failed restore into a new file leaves no file behind", async () => {
    const out = join(dir, "broken");
    expect((await genDump(["--db", source, out])).code).toBe(0);
    const file = join(out, "data", "orders.ts");
    writeFileSync(file, readFileSync(file, "utf8").replace(/\n\[2,/, "\n[2,,, oops("));
    const target = join(dir, "never.sqlite3");
    const result = await tsxRestore(out, ["--db", target]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("data/orders.ts:");
    expect(readdirSync(dir).filter((f) => f.startsWith("never.sqlite3"))).toEqual([]);
  });

  it("restore.ts --tolerate skips a table that fails, loads the rest, lists it and exits 1", async () => {
    const out = join(dir, "tolerate");
    expect((await genDump(["--db", source, out])).code).toBe(0);
    const file = join(out, "data", "order_items.ts");
    const lines = readFileSync(file, "utf8").split("\n");
    const first = lines.findIndex((l) => l.startsWith("[1, "));
    lines.splice(first + 1, 0, lines[first]!); // a duplicate primary key
    writeFileSync(file, lines.join("\n"));
    const strict = join(dir, "strict.sqlite3");
    const failed = await tsxRestore(out, ["--db", strict]);
    expect(failed.code).toBe(1);
    expect(existsSync(strict)).toBe(false);
    const target = join(dir, "tolerated.sqlite3");
    const result = await tsxRestore(out, ["--db", target, "--tolerate"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/table order_items was skipped \(--tolerate\): data\/order_items\.ts:\d+: .*(UNIQUE|PRIMARY KEY)/);
    const expected = sqliteFacts(source) as { data: Map<string, unknown[]>; master: unknown };
    const got = sqliteFacts(target) as { data: Map<string, unknown[]>; master: unknown };
    expect(got.master).toEqual(expected.master);
    expect(got.data.get("order_items")).toEqual([]);
    expect(new Map([...got.data, ["order_items", []]])).toEqual(new Map([...expected.data, ["order_items", []]]));
  });

  it("gen-dump --tolerate dumps the readable tables, lists the unreadable ones and exits 1", async () => {
    const damaged = join(dir, "damaged.sqlite3");
    buildDamagedDatabase(damaged);
    const strictOut = join(dir, "damaged-strict");
    const strict = await genDump(["--db", damaged, strictOut]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/table damaged.*malformed/i);
    expect(existsSync(strictOut)).toBe(false);
    const out = join(dir, "damaged-tolerated");
    const result = await genDump(["--db", damaged, "--tolerate", out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/1 table\(s\) could not be read[\s\S]*damaged: .*malformed/i);
    expect(readdirSync(join(out, "data"))).toEqual(["good.ts"]);
    expect(readFileSync(join(out, "restore.ts"), "utf8")).toContain('failedTables: ["damaged"]');
    const restored = join(dir, "from-damaged.sqlite3");
    expect((await tsxRestore(out, ["--db", restored])).code).toBe(0);
    const facts = sqliteFacts(restored) as { data: Map<string, unknown[]> };
    expect(facts.data).toEqual(new Map([["damaged", []], ["good", ["1 integer:1 | text:'a'", "2 integer:2 | text:'b'"]]]));
    // -T leaves the damaged table out altogether: a complete dump of the rest.
    const without = await genDump(["--db", damaged, "-T", "DAMAGED", join(dir, "without-damaged")]);
    expect(without.code, without.stderr).toBe(0);
    expect(readFileSync(join(dir, "without-damaged", "schema.ts"), "utf8")).not.toContain("damaged (");
  });

  it("selects SQLite tables with -t, -T and --exclude-table-data, and refuses --schema", async () => {
    const out = join(dir, "selected");
    const result = await genDump(["--db", source, "-t", "CUSTOMERS", "-t", "order*", "-T", "order_items", "--exclude-table-data", "orders", out]);
    expect(result.code, result.stderr).toBe(0);
    const notes = 'order "notes" & <stuff>';
    expect(readdirSync(join(out, "data")).sort()).toEqual(["customers.ts", `${tableFileStem(null, notes)}.ts`, "orders.ts"].sort());
    expect(readFileSync(join(out, "data", "orders.ts"), "utf8")).toMatch(/\[\n\]\);\n$/);
    const target = join(dir, "selected.sqlite3");
    const restored = await tsxRestore(out, ["--db", target]);
    expect(restored.code, restored.stderr).toBe(0);
    const db = new Database(target, { readonly: true });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name").pluck().all();
    const counts = [db.prepare("SELECT count(*) FROM customers").pluck().get(), db.prepare("SELECT count(*) FROM orders").pluck().get()];
    db.close();
    expect(tables).toEqual(["customers", notes, "orders"]);
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[1]).toBe(0);
    const none = await genDump(["--db", source, "-t", "nothing_like_this", join(dir, "none")]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('No table or view matches --table "nothing_like_this"');
    const schema = await genDump(["--db", source, "--schema", "public", join(dir, "schema")]);
    expect(schema.code).toBe(2);
    expect(schema.stderr).toContain("a SQLite database has none");
    expect(existsSync(join(dir, "none")) || existsSync(join(dir, "schema"))).toBe(false);
  });
});
