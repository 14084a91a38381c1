import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { expect } from "vitest";
import { dump } from "../../src/dump/dump.ts";
import { tempDir, tsx } from "../support/cli.ts";

/**
 * Shared set-up of the `check`, `diff` and `ddt` tests: real databases, real dumps, and
 * hand edits made the way a person makes them (one line of a module changed in place).
 */

/** Build the bundled shop sample into a fresh SQLite file. */
export async function buildShop(dir = tempDir("gen-dump-files-")): Promise<string> {
  const path = join(dir, "shop.sqlite3");
  const built = await tsx("samples/build-sample.ts", ["shop", path]);
  expect(built.code, built.stderr).toBe(0);
  return path;
}

/** A SQLite database made by running `sql`. */
export function sqliteDatabase(sql: string, dir = tempDir("gen-dump-files-")): string {
  const path = join(dir, "db.sqlite3");
  const db = new Database(path);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
  return path;
}

/** Run SQL on a SQLite file. */
export function sqliteExec(path: string, sql: string): void {
  const db = new Database(path);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

/** Run SQL on a PostgreSQL database. */
export async function pgExec(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Dump `db` into a new directory; returns it. */
export async function dumpTo(db: string, options: { readonly maxRowCount?: number; readonly dir?: string } = {}): Promise<string> {
  const out = options.dir ?? join(tempDir("gen-dump-files-"), "dump");
  await dump({ db, outputDir: out, maxRowCount: options.maxRowCount });
  return out;
}

/** A copy of a dump directory, to edit. */
export function copyDump(dir: string): string {
  const copy = join(tempDir("gen-dump-files-"), "edited");
  cpSync(dir, copy, { recursive: true });
  return copy;
}

/**
 * Edit the first line of `file` (relative to the dump) that `find` matches, with `edit`.
 * Returns the 1-based line number edited.
 */
export function editLine(dumpDir: string, file: string, find: (line: string) => boolean, edit: (line: string) => string): number {
  const path = join(dumpDir, file);
  const lines = readFileSync(path, "utf8").split("\n");
  const index = lines.findIndex(find);
  expect(index, `no line of ${file} matches`).toBeGreaterThanOrEqual(0);
  lines[index] = edit(lines[index]!);
  writeFileSync(path, lines.join("\n"));
  return index + 1;
}

/** Insert `text` as a new line after the first line `find` matches; returns the new line's number. */
export function insertLineAfter(dumpDir: string, file: string, find: (line: string) => boolean, text: string): number {
  const path = join(dumpDir, file);
  const lines = readFileSync(path, "utf8").split("\n");
  const index = lines.findIndex(find);
  expect(index, `no line of ${file} matches`).toBeGreaterThanOrEqual(0);
  lines.splice(index + 1, 0, text);
  writeFileSync(path, lines.join("\n"));
  return index + 2;
}

/** 1-based column of the first occurrence of `needle` in line `line` of a dump file. */
export function columnOf(dumpDir: string, file: string, line: number, needle: string): number {
  const text = readFileSync(join(dumpDir, file), "utf8").split("\n")[line - 1]!;
  const at = text.indexOf(needle);
  expect(at, `${needle} is not on line ${line} of ${file}`).toBeGreaterThanOrEqual(0);
  return at + 1;
}
