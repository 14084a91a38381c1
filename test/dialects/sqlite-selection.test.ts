import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TableSelection } from "../../src/dialects/dialect.ts";
import { parseDatabaseUrl } from "../../src/dialects/registry.ts";
import { sqliteDialect } from "../../src/dialects/sqlite/sqlite-dialect.ts";
import type { DatabaseSchema } from "../../src/model/schema-model.ts";
import { SelectionFilter } from "../../src/planner/table-selection.ts";
import { buildRichDatabase } from "./sqlite-fixture.ts";

describe("SelectionFilter", () => {
  it("keeps pg_dump's rules by default: unquoted letters fold, quoted ones do not", () => {
    const pg = new SelectionFilter({ tables: ['"Users"', "ORDERS", "a?c", "pub*.x*"] });
    expect(["Users", "users", "orders", "ORDERS", "abc", "a.c"].map((n) => pg.relationSelected("public", n))).toEqual([true, false, true, false, true, true]);
    expect(pg.relationSelected("public", "xy")).toBe(true);
    expect(pg.relationSelected("other", "xy")).toBe(false);
  });

  it("with foldAsciiCase (SQLite) matches names whatever their ASCII case, quoted or not, but not other letters", () => {
    const sqlite = new SelectionFilter({ tables: ['"Users"', "ORDERS", "é*"], excludeTableData: ["LOG"] }, { foldAsciiCase: true });
    expect(["Users", "users", "USERS", "orders", "Orders", "éa", "Éa"].map((n) => sqlite.relationSelected("main", n))).toEqual([true, true, true, true, true, true, false]);
    expect([sqlite.dataSelected("main", "log"), sqlite.dataSelected("main", "Log"), sqlite.dataSelected("main", "logs")]).toEqual([false, false, true]);
    expect(sqlite.relationSelected("MAIN", "users")).toBe(true);
  });
});

describe("SQLite table selection", () => {
  const dir = mkdtempSync(join(tmpdir(), "gen-dump-sqlite-selection-"));
  const source = join(dir, "rich.sqlite3");

  beforeAll(() => buildRichDatabase(source));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function introspect(selection: TableSelection): Promise<DatabaseSchema> {
    const connection = await sqliteDialect.openSource({ url: parseDatabaseUrl(source), selection });
    try {
      return await connection.introspect();
    } finally {
      await connection.close();
    }
  }

  it("-t keeps matching tables and views, with their own indexes and triggers only", async () => {
    const schema = await introspect({ tables: ["GEN", "child*", "main.parent"] });
    expect(schema.tables.map((t) => t.name)).toEqual(["child", "gen", "parent"]);
    expect(schema.objects.map((o) => `${o.kind} ${o.name}`)).toEqual([
      "index gen_partial", "index gen_expr", "index gen_unique", "view child_names", "trigger child_audit", "trigger child_names_insert",
    ]);
  });

  it("-T drops tables and everything on them; --exclude-table-data keeps the table without rows and stops checking references to it", async () => {
    const schema = await introspect({ excludeTables: ["child", "child_names", "g?n"], excludeTableData: ['"PARENT"'] });
    const names = schema.tables.map((t) => t.name);
    expect(names).not.toContain("child");
    expect(names).not.toContain("gen");
    expect(names).toContain("cyc_a");
    expect(schema.objects.filter((o) => o.table === "child" || o.table === "gen" || o.name === "child_names")).toEqual([]);
    expect(schema.tables.filter((t) => !t.dataDumped).map((t) => t.name)).toEqual(["parent"]);
    const withData = await introspect({ excludeTableData: ["parent"] });
    expect(withData.tables.find((t) => t.name === "child")!.options.foreignKeyViolations).toBeNull();
    expect(withData.tables.find((t) => t.name === "cyc_a")!.options.foreignKeyViolations).toBe(0);
  });

  it("refuses --schema, and a -t that matches nothing, as usage errors", async () => {
    await expect(introspect({ schemas: ["main"] })).rejects.toMatchObject({ code: "USAGE", message: expect.stringContaining("--schema") });
    await expect(introspect({ excludeSchemas: ["x"] })).rejects.toMatchObject({ code: "USAGE", message: expect.stringContaining("--exclude-schema") });
    await expect(introspect({ tables: ["nope*"] })).rejects.toMatchObject({ code: "USAGE", message: expect.stringContaining('"nope*"') });
  });
});
