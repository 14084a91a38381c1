/**
 * `npm run demo`: the README's journey on the bundled sample, with the real commands.
 * Builds samples/shop.sqlite3, dumps it to dumps/shop, restores that into
 * dumps/restored/shop.sqlite3 (same file name: restore.ts records it), dumps the restored
 * database to dumps/shop-again and compares the two dumps byte for byte.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsx = join(root, "node_modules", ".bin", "tsx");
const genDump = join(root, "bin", "gen-dump.js");

function step(title: string, command: string, args: string[]): void {
  process.stdout.write(`\n$ ${title}\n`);
  execFileSync(command, args, { cwd: root, stdio: "inherit" });
}

const restored = join("dumps", "restored", "shop.sqlite3");
rmSync(join(root, restored), { force: true });
mkdirSync(join(root, "dumps", "restored"), { recursive: true });
step("tsx samples/build-sample.ts", tsx, ["samples/build-sample.ts"]);
step("gen-dump --db samples/shop.sqlite3 --overwrite dumps/shop", process.execPath, [genDump, "--db", "samples/shop.sqlite3", "--overwrite", "--noinput", "dumps/shop"]);
step(`tsx dumps/shop/restore.ts --db ${restored}`, tsx, ["dumps/shop/restore.ts", "--db", restored, "--noinput"]);
step(`gen-dump --db ${restored} --overwrite dumps/shop-again`, process.execPath, [genDump, "--db", restored, "--overwrite", "--noinput", "dumps/shop-again"]);

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
const a = files(join(root, "dumps", "shop")).map((p) => relative(join(root, "dumps", "shop"), p)).sort();
const b = files(join(root, "dumps", "shop-again")).map((p) => relative(join(root, "dumps", "shop-again"), p)).sort();
const differing = a.filter((f) => !b.includes(f) || !readFileSync(join(root, "dumps", "shop", f)).equals(readFileSync(join(root, "dumps", "shop-again", f))));
process.stdout.write(`\n${readFileSync(join(root, "dumps", "shop", "data", "customers.ts"), "utf8")}\n`);
if (differing.length > 0 || a.length !== b.length) {
  process.stdout.write(`Double Dump Test FAILED: these files differ: ${differing.join(", ")}\n`);
  process.exit(1);
}
process.stdout.write(`Double Dump Test passed: dumps/shop and dumps/shop-again are identical (${a.length} files).\n`);
