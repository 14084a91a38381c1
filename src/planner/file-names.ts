import { createHash } from "node:crypto";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { GenDumpError } from "../errors.ts";

/**
 * File names of table modules. A stem is made only of `[a-z0-9_.~-]`, so it is the same
 * on every file system, case-insensitive ones (macOS, Windows) included, and it can never
 * name a directory, a parent or a device:
 *
 * - `[a-z0-9_]` is kept; every other code point (uppercase letters too, so that `Users`
 *   and `users` differ on a case-insensitive disk) becomes `-<lowercase hex>-`:
 *   `Users` → `-55-sers`, `café` → `caf-e9-`; the empty name is `--`.
 * - a component that is a Windows device name (`con`, `nul`, `com1`…, any case) gets its
 *   first character encoded: `con` → `-63-on`.
 * - schema and name are joined with `.` (which components never contain).
 * - a stem over {@link MAX_STEM} characters is cut and ends with `~` and 16 hex digits of
 *   the SHA-256 of the whole stem. Such a stem cannot be decoded (the module names its
 *   table anyway); {@link parseTableFileStem} refuses it.
 */

/** Longest stem kept whole; with `data/` and `.001.ts` it stays far below 255 bytes. */
export const MAX_STEM = 180;

const KEEP = /^[a-z0-9_]$/;
const DEVICE = /^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])$/;

function encodeComponent(text: string): string {
  if (text === "") return "--";
  let out = "";
  for (const ch of text) out += KEEP.test(ch) ? ch : `-${ch.codePointAt(0)!.toString(16)}-`;
  // NOTE: Windows reserves these names (with any extension) in every directory.
  // https://learn.microsoft.com/en-us/windows/win32/fileio/naming-a-file
  if (DEVICE.test(out)) out = `-${out.codePointAt(0)!.toString(16)}-${out.slice(1)}`;
  return out;
}

function decodeComponent(stem: string, text: string): string {
  if (text === "--") return "";
  let out = "";
  for (let i = 0; i < text.length; ) {
    const ch = text[i]!;
    if (ch !== "-") {
      if (!KEEP.test(ch)) return badStem(stem);
      out += ch;
      i++;
      continue;
    }
    const close = text.indexOf("-", i + 1);
    const hex = text.slice(i + 1, close);
    if (close < 0 || !/^[0-9a-f]{1,6}$/.test(hex)) return badStem(stem);
    const codePoint = Number.parseInt(hex, 16);
    if (codePoint > 0x10ffff) return badStem(stem);
    out += String.fromCodePoint(codePoint);
    i = close + 1;
  }
  return out;
}

function badStem(stem: string): never {
  throw new GenDumpError("INTERNAL", `${JSON.stringify(stem)} is not a table file stem gen-dump wrote (hashed stems, those with "~", cannot be decoded).`);
}

/** The file stem of a table: reversible, collision-free, portable (see the file comment). */
export function tableFileStem(schema: string | null, name: string): string {
  const stem = schema === null ? encodeComponent(name) : `${encodeComponent(schema)}.${encodeComponent(name)}`;
  if (stem.length <= MAX_STEM) return stem;
  const hash = createHash("sha256").update(stem).digest("hex").slice(0, 16);
  return `${stem.slice(0, MAX_STEM - 17)}~${hash}`;
}

/** Schema and name back from a stem {@link tableFileStem} wrote (not a hashed one). */
export function parseTableFileStem(stem: string): { schema: string | null; name: string } {
  const parts = stem.split(".");
  if (parts.length > 2) return badStem(stem);
  const parsed =
    parts.length === 1
      ? { schema: null, name: decodeComponent(stem, parts[0]!) }
      : { schema: decodeComponent(stem, parts[0]!), name: decodeComponent(stem, parts[1]!) };
  // Only the one spelling the encoder writes is a stem (`-61-` is not another `a`).
  if (tableFileStem(parsed.schema, parsed.name) !== stem) return badStem(stem);
  return parsed;
}

/**
 * The path of a data module inside the dump directory: `data/<stem>.ts` for a table in
 * one part, else `data/<stem>.001.ts`, `data/<stem>.002.ts`, … (at least three digits).
 * NOTE: a schema-less stem (`t`) in parts and a stem of schema `t` with a table named
 * `001` would meet at `data/t.001.ts`; every table of one dump either has a schema
 * (PostgreSQL) or none (SQLite), so they never do.
 */
export function dataFileName(stem: string, part: number, parts: number): string {
  if (!Number.isInteger(part) || !Number.isInteger(parts) || part < 1 || parts < 1 || (parts === 1 && part !== 1)) {
    throw new GenDumpError("INTERNAL", `dataFileName: part ${part} of ${parts} is not a part number.`);
  }
  if (parts === 1) return `data/${stem}.ts`;
  return `data/${stem}.${String(part).padStart(3, "0")}.ts`;
}

/** Throw unless `relative` resolves to a path strictly inside `root` (not `root` itself). */
export function assertInside(root: string, relativePath: string): void {
  const base = resolve(root);
  const rel = relative(base, resolve(base, relativePath));
  const inside = rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
  if (!inside) {
    throw new GenDumpError("INTERNAL", `The path ${JSON.stringify(relativePath)} leads outside ${JSON.stringify(root)}; gen-dump never writes or reads there.`);
  }
}
