import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configVersion, findConfig, type LoadedConfig, migrationsPath } from "../../src/config/index.ts";
import { GenDumpError } from "../../src/errors.ts";
import { defineConfig } from "../../src/index.ts";
import { repoRoot, tempDir } from "../support/cli.ts";

/** A fresh directory tree: `files` maps relative paths to contents. Returns its root. */
function tree(files: Record<string, string>): string {
  const root = tempDir("gen-dump-config-");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

async function usageError(promise: Promise<unknown>): Promise<GenDumpError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GenDumpError);
  expect((error as GenDumpError).code).toBe("USAGE");
  return error as GenDumpError;
}

const loadedVersion = async (dir: string) => configVersion((await findConfig(dir))!);
const srcIndex = JSON.stringify(join(repoRoot, "src", "index.ts"));

describe("findConfig", () => {
  it("returns null when no directory up to the root has a config", async () => {
    expect(await findConfig(tempDir("gen-dump-config-none-"))).toBeNull();
  });

  it("finds gen-dump.config.ts from a nested directory upward, and the nearest one wins", async () => {
    const root = tree({
      "gen-dump.config.ts": `export default { version: "outer" };`,
      "app/gen-dump.config.ts": `import { defineConfig } from ${srcIndex};\nconst v: string = "inner";\nexport default defineConfig({ version: v, migrations: "./db/migrations.ts", db: "data/app.sqlite3" });\n`,
      "app/src/deep/.keep": "",
    });
    const loaded = await findConfig(join(root, "app", "src", "deep"));
    expect(loaded?.path).toBe(join(root, "app", "gen-dump.config.ts"));
    expect(loaded?.dir).toBe(join(root, "app"));
    expect(loaded?.config.db).toBe("data/app.sqlite3");
    expect(await configVersion(loaded!)).toBe("inner");
    expect(migrationsPath(loaded!)).toBe(join(root, "app", "db", "migrations.ts"));
    expect((await findConfig(root))?.path).toBe(join(root, "gen-dump.config.ts"));
  });

  it("loads a .ts config whether its package is an ES module package or CommonJS", async () => {
    const esm = tree({ "package.json": `{"type":"module"}`, "gen-dump.config.ts": `export default { version: "esm" satisfies string };` });
    expect(await loadedVersion(esm)).toBe("esm");
    const cjs = tree({ "package.json": `{"name":"app"}`, "gen-dump.config.ts": `const v: number = 4;\nexport default { version: () => \`cjs-\${v}\` };` });
    expect(await loadedVersion(cjs)).toBe("cjs-4");
  });

  it("loads gen-dump.config.js (ES module) and gen-dump.config.json", async () => {
    const js = tree({ "package.json": `{"type":"module"}`, "gen-dump.config.js": `export default { version: () => "js-" + (1 + 1) };` });
    expect(await loadedVersion(js)).toBe("js-2");
    const json = tree({ "gen-dump.config.json": `{ "version": "3.1.0", "migrations": "migrations.ts" }` });
    const loaded = await findConfig(json);
    expect(loaded?.path).toBe(join(json, "gen-dump.config.json"));
    expect(await configVersion(loaded!)).toBe("3.1.0");
    expect(migrationsPath(loaded!)).toBe(join(json, "migrations.ts"));
  });

  it("awaits an async version function", async () => {
    const root = tree({ "gen-dump.config.ts": `export default { version: async () => { await new Promise((r) => setTimeout(r, 5)); return "async-7"; } };` });
    expect(await loadedVersion(root)).toBe("async-7");
  });

  it("reads the version from a JSON file and a dotted key (default key: version)", async () => {
    const root = tree({
      "package.json": `{ "name": "shop", "version": "2.4.0", "meta": { "schema": { "version": 12 } } }`,
      "config/gen-dump.config.json": `{ "versionFrom": { "file": "../package.json" } }`,
      "nested/gen-dump.config.json": `{ "versionFrom": { "file": "../package.json", "key": "meta.schema.version" } }`,
    });
    expect(await loadedVersion(join(root, "config"))).toBe("2.4.0");
    expect(await loadedVersion(join(root, "nested"))).toBe("12");
  });

  it("has no version or migrations when the config names none", async () => {
    const loaded = await findConfig(tree({ "gen-dump.config.json": `{ "db": "app.sqlite3" }` }));
    expect(await configVersion(loaded!)).toBeNull();
    expect(migrationsPath(loaded!)).toBeNull();
  });

  it("defineConfig returns its argument", () => {
    const config = { version: "1" };
    expect(defineConfig(config)).toBe(config);
  });
});

describe("bad configurations are USAGE errors naming the file and the key", () => {
  const cases: readonly (readonly [string, string, string, readonly string[]])[] = [
    ["an unknown key", "gen-dump.config.json", `{ "version": "1", "migration": "m.ts" }`, ['unknown key "migration"']],
    ["a wrong type", "gen-dump.config.json", `{ "db": 5 }`, ['"db"', "not 5"]],
    ["an empty string", "gen-dump.config.json", `{ "migrations": "" }`, ['"migrations"']],
    ["an array", "gen-dump.config.json", `[]`, ["must be an object", "an array"]],
    ["versionFrom without file", "gen-dump.config.json", `{ "versionFrom": { "key": "v" } }`, ['"versionFrom"', 'no "file"']],
    ["versionFrom with a stray key", "gen-dump.config.json", `{ "versionFrom": { "file": "p.json", "path": "v" } }`, ['"versionFrom"', 'unknown key "path"']],
    ["both version and versionFrom", "gen-dump.config.json", `{ "version": "1", "versionFrom": { "file": "p.json" } }`, ['"version" or "versionFrom"']],
    ["bad JSON", "gen-dump.config.json", `{ "version": "1", }`, ["is not valid JSON"]],
    ["a version that is not a string", "gen-dump.config.ts", `export default { version: 3 };`, ['"version"', "not 3"]],
    ["no default export", "gen-dump.config.ts", `export const config = { version: "1" };`, ["no default export"]],
    ["a config that throws", "gen-dump.config.ts", `throw new Error("boom in config");\nexport default {};`, ["boom in config"]],
  ];
  for (const [what, name, text, expected] of cases) {
    it(what, async () => {
      const root = tree({ [name]: text });
      const error = await usageError(findConfig(root));
      expect(error.message).toContain(join(root, name));
      expect(error.context.file).toBe(join(root, name));
      for (const part of expected) expect(error.message).toContain(part);
    });
  }

  it("two config files in one directory", async () => {
    const root = tree({ "gen-dump.config.ts": `export default {};`, "gen-dump.config.json": `{}` });
    const error = await usageError(findConfig(root));
    expect(error.message).toContain("gen-dump.config.ts and gen-dump.config.json");
  });

  const versionCases: readonly (readonly [string, Record<string, string>, readonly string[]])[] = [
    ["versionFrom naming a missing file", { "gen-dump.config.json": `{ "versionFrom": { "file": "nope.json" } }` }, ["nope.json", "cannot be read as JSON"]],
    ["versionFrom naming a missing key", { "p.json": `{ "a": { "b": 1 } }`, "gen-dump.config.json": `{ "versionFrom": { "file": "p.json", "key": "a.c" } }` }, ['"a.c"', "is not in"]],
    ["versionFrom naming an object", { "p.json": `{ "version": { "major": 1 } }`, "gen-dump.config.json": `{ "versionFrom": { "file": "p.json" } }` }, ["an object", "non-empty string"]],
    ["a version function that throws", { "gen-dump.config.ts": `export default { version: () => { throw new Error("no git"); } };` }, ['"version" function failed', "no git"]],
    ["a version function returning nothing", { "gen-dump.config.ts": `export default { version: () => "" };` }, ['""', "non-empty string"]],
  ];
  for (const [what, files, expected] of versionCases) {
    it(what, async () => {
      const root = tree(files);
      const loaded: LoadedConfig = (await findConfig(root))!;
      const error = await usageError(configVersion(loaded));
      expect(error.message).toContain(loaded.path);
      for (const part of expected) expect(error.message).toContain(part);
    });
  }
});
