import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { genDump, tempDir } from "../support/cli.ts";

/** The application version a dump recorded in its restore.ts. */
function recordedVersion(dumpDir: string): string {
  const match = /appVersion: ("(?:[^"\\]|\\.)*")/.exec(readFileSync(join(dumpDir, "restore.ts"), "utf8"));
  expect(match, "restore.ts records an appVersion").not.toBeNull();
  return JSON.parse(match![1]!) as string;
}

/** Where the dump's version comes from, through the real CLI: flag, config, database. */
describe("gen-dump records the application version", () => {
  let dir: string;
  let db: string;

  beforeAll(() => {
    dir = tempDir("gen-dump-app-version-cli-");
    db = join(dir, "app.sqlite3");
    const sqlite = new Database(db);
    sqlite.exec(
      "CREATE TABLE knex_migrations (id INTEGER PRIMARY KEY, name VARCHAR(255), batch INTEGER, migration_time DATETIME);" +
        "INSERT INTO knex_migrations VALUES (1, '20240101_init.js', 1, NULL), (2, '20240202_users.js', 2, NULL);" +
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);" +
        "INSERT INTO users VALUES (1, 'Lino');",
    );
    sqlite.close();
  });

  it("reads Knex's latest migration from the database, and --app-version overrides it", async () => {
    const detected = await genDump(["--db", db, join(dir, "detected")]);
    expect(detected.code, detected.stderr).toBe(0);
    expect(recordedVersion(join(dir, "detected"))).toBe("20240202_users.js");
    const given = await genDump(["--db", db, "--app-version", "3.0.0", join(dir, "given")]);
    expect(given.code, given.stderr).toBe(0);
    expect(recordedVersion(join(dir, "given"))).toBe("3.0.0");
  });

  // A TypeScript app without "type": "module" (CommonJS) and one with it.
  for (const [kind, packageJson] of [
    ["a CommonJS package", `{ "name": "app", "version": "0.0.0" }`],
    ["an ES module package", `{ "name": "app", "version": "0.0.0", "type": "module" }`],
  ] as const) {
    it(`takes the database and the version from gen-dump.config.ts found upward, in ${kind}`, async () => {
      const app = join(dir, kind.replaceAll(" ", "-"));
      mkdirSync(join(app, "data"), { recursive: true });
      mkdirSync(join(app, "src", "deep"), { recursive: true });
      writeFileSync(join(app, "data", "app.sqlite3"), readFileSync(db));
      writeFileSync(join(app, "package.json"), packageJson);
      writeFileSync(
        join(app, "gen-dump.config.ts"),
        `const major: number = 2;\nexport default { db: "data/app.sqlite3", version: async () => \`\${major}.5.0\` };\n`,
      );
      const cwd = join(app, "src", "deep");
      const fromConfig = await genDump([join(dir, `${kind}-config`)], { cwd });
      expect(fromConfig.code, fromConfig.stderr).toBe(0);
      expect(recordedVersion(join(dir, `${kind}-config`))).toBe("2.5.0");
      const flag = await genDump(["--app-version", "9", join(dir, `${kind}-flag`)], { cwd });
      expect(flag.code, flag.stderr).toBe(0);
      expect(recordedVersion(join(dir, `${kind}-flag`))).toBe("9");
    });
  }

  it("refuses a configuration with an unknown key, naming the file and the key", async () => {
    const app = join(dir, "bad-config");
    mkdirSync(app);
    writeFileSync(join(app, "gen-dump.config.json"), `{ "db": "x.sqlite3", "verison": "1" }`);
    const result = await genDump([join(dir, "bad-out")], { cwd: app });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(join(app, "gen-dump.config.json"));
    expect(result.stderr).toContain('unknown key "verison"');
  });
});
