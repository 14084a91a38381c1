/**
 * Build a sample database from the committed SQL in samples/<name>/ (schema.sql, then
 * data.sql). Usage: tsx samples/build-sample.ts [name] [output.sqlite3]
 * Default: samples/shop → samples/shop.sqlite3 (replaced if it exists).
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";

const here = fileURLToPath(new URL(".", import.meta.url));
const name = process.argv[2] ?? "shop";
const output = process.argv[3] ?? join(here, `${name}.sqlite3`);
for (const suffix of ["", "-wal", "-shm", "-journal"]) if (existsSync(output + suffix)) rmSync(output + suffix);
const db = new Database(output);
for (const file of ["schema.sql", "data.sql"]) {
  const path = join(here, name, file);
  if (existsSync(path)) db.exec(readFileSync(path, "utf8"));
}
db.close();
process.stderr.write(`Built ${output}\n`);
