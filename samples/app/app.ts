/**
 * The sample application's command line, for the walkthrough (samples/app/README.md):
 *   npx tsx app.ts install     create app.sqlite3 at the version in version.json, with data at v1
 *   npx tsx app.ts upgrade V   switch the application to version V (writes version.json)
 *   npx tsx app.ts show DB     print every table of a SQLite database
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";

const here = fileURLToPath(new URL(".", import.meta.url));
const version = () => (JSON.parse(readFileSync(join(here, "version.json"), "utf8")) as { version: string }).version;

const [command, arg] = process.argv.slice(2);
if (command === "install") {
  const db = new Database(join(here, arg ?? "app.sqlite3"));
  db.exec(readFileSync(join(here, `v${version()}`, "schema.sql"), "utf8"));
  if (version() === "1") db.exec(readFileSync(join(here, "v1", "seed.sql"), "utf8"));
  db.close();
  console.log(`Created ${arg ?? "app.sqlite3"} at version ${version()}.`);
} else if (command === "upgrade" && arg !== undefined) {
  writeFileSync(join(here, "version.json"), `${JSON.stringify({ version: arg })}\n`);
  console.log(`The application is now at version ${arg}.`);
} else if (command === "show" && arg !== undefined) {
  const db = new Database(arg, { readonly: true });
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  for (const table of tables) {
    console.log(`${table}:`);
    for (const row of db.prepare(`SELECT * FROM "${table.replaceAll('"', '""')}"`).all()) console.log(`  ${JSON.stringify(row)}`);
  }
  db.close();
} else {
  console.error("usage: npx tsx app.ts install [FILE] | upgrade VERSION | show DB");
  process.exitCode = 2;
}
