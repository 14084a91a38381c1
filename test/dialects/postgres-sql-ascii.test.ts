import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { genDump, tempDir, tsxRestore } from "../support/cli.ts";
import { testAdminUrl } from "../support/postgres-db.ts";
import { withClient } from "./postgres-compare.ts";

/**
 * A SQL_ASCII database stores whatever bytes it is given: text that is not UTF-8 must
 * come out of a dump as those bytes (rawText), not as replacement characters.
 */
describe("a PostgreSQL SQL_ASCII database with text that is not UTF-8", () => {
  const admin = testAdminUrl();
  const name = `t_sql_ascii_${process.pid}_${Date.now() % 100000}`;
  const url = Object.assign(new URL(admin), { pathname: `/${name}` }).href;
  const sql = (target: string, text: string) => withClient(target, async (c: pg.Client) => (await c.query(text)).rows);

  beforeAll(async () => {
    await sql(admin, `CREATE DATABASE "${name}" ENCODING 'SQL_ASCII' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'`);
    // Latin-1 bytes (caf\xe9), a lone UTF-8 lead byte with a tab, and plain UTF-8.
    await sql(url, "CREATE TABLE public.note (id integer PRIMARY KEY, body text, label varchar(20))");
    await sql(url, "INSERT INTO public.note VALUES (1, E'caf\\351', E'ok'), (2, E'\\303\\t\\\\x', NULL), (3, E'na\\303\\257ve', E'\\377')");
  });
  const targets: string[] = [];
  const database = async (suffix: string, encoding: string) => {
    const db = `${name}_${suffix}`;
    await sql(admin, `CREATE DATABASE "${db}" ENCODING '${encoding}' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'`);
    targets.push(db);
    return Object.assign(new URL(admin), { pathname: `/${db}` }).href;
  };
  afterAll(async () => {
    for (const db of [name, ...targets]) await sql(admin, `DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  });
  const bytesOf = (target: string) => sql(target, "SELECT id, encode(convert_to(body, 'SQL_ASCII'), 'hex') AS body, encode(convert_to(label, 'SQL_ASCII'), 'hex') AS label FROM public.note ORDER BY id");

  it("restores into another SQL_ASCII database byte for byte, and a second dump is the same", async () => {
    const dir = tempDir();
    expect((await genDump(["--db", url, join(dir, "a")])).code).toBe(0);
    const target = await database("copy", "SQL_ASCII");
    const restored = await tsxRestore(join(dir, "a"), ["--db", target]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(await bytesOf(target)).toEqual(await bytesOf(url));
    expect((await genDump(["--db", target, join(dir, "b")])).code).toBe(0);
    const data = (d: string) => readdirSync(join(dir, d, "data")).map((f) => readFileSync(join(dir, d, "data", f), "utf8"));
    expect(data("b")).toEqual(data("a"));
  });

  it("refuses, naming table, column and file:line, to put those bytes into a UTF8 database, which stays empty", async () => {
    const dir = tempDir();
    expect((await genDump(["--db", url, join(dir, "a")])).code).toBe(0);
    const target = await database("utf8", "UTF8");
    const restored = await tsxRestore(join(dir, "a"), ["--db", target]);
    expect(restored.code).not.toBe(0);
    expect(restored.stderr).toMatch(/public\.note.*body.*not valid UTF-8.*SQL_ASCII/s);
    expect(restored.stderr).toMatch(/data\/[^ ]*note[^ ]*\.ts:\d+/);
    expect(restored.stderr).not.toMatch(/\n\s+at /);
    expect(await sql(target, "SELECT count(*)::int AS n FROM pg_class WHERE relname = 'note'")).toEqual([{ n: 0 }]);
  });

  it("dumps the exact bytes as rawText, and a SQLite restore holds them", async () => {
    const dir = tempDir();
    const out = join(dir, "dump");
    const dumped = await genDump(["--db", url, out]);
    expect(dumped.code, dumped.stderr).toBe(0);
    const data = readdirSync(join(out, "data")).find((f) => f.includes("note"))!;
    const lines = readFileSync(join(out, "data", data), "utf8").split("\n").filter((l) => l.startsWith("["));
    const b64 = (bytes: number[]) => Buffer.from(bytes).toString("base64");
    expect(lines).toEqual([
      `[1, rawText("${b64([0x63, 0x61, 0x66, 0xe9])}"), "ok"],`,
      `[2, rawText("${b64([0xc3, 0x09, 0x5c, 0x78])}"), null],`,
      `[3, "naïve", rawText("${b64([0xff])}")],`,
    ]);
    const target = join(dir, "back.sqlite3");
    const restored = await tsxRestore(out, ["--db", target]);
    expect(restored.code, restored.stderr).toBe(0);
    const db = new Database(target, { readonly: true });
    const rows = db.prepare("SELECT id, hex(body) AS body, typeof(body) AS t, CASE WHEN label IS NULL THEN NULL ELSE hex(label) END AS label FROM note ORDER BY id").all();
    db.close();
    expect(rows).toEqual([
      { id: 1, body: "636166E9", t: "text", label: "6F6B" },
      { id: 2, body: "C3095C78", t: "text", label: null },
      { id: 3, body: "6E61C3AF7665", t: "text", label: "FF" },
    ]);
  });
});
