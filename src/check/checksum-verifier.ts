import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";

/** The manifest `gen-dump` writes at dump time (sha256sum format). */
export const CHECKSUM_FILE = "checksums.sha256";

/** What the checksum manifest says about the files of a dump directory now. */
export interface ChecksumStatus {
  /** False when the dump has no (readable) checksums.sha256. */
  readonly manifest: boolean;
  /** Files whose content differs from the manifest: edited since the dump. */
  readonly edited: readonly string[];
  /** Files the manifest lists that are gone. */
  readonly missing: readonly string[];
  /** Files in the directory the manifest does not list. */
  readonly added: readonly string[];
}

/**
 * Compare the files of a dump directory with its checksum manifest. Edits are allowed
 * (people hand-migrate data in dumps); this only tells which files they touched.
 * Paths are relative to the dump directory, with `/` separators.
 */
export async function verifyChecksums(dir: string): Promise<ChecksumStatus> {
  const listed = await readManifest(dir);
  const present = await listFiles(dir);
  if (listed === null) return { manifest: false, edited: [], missing: [], added: [] };
  const edited: string[] = [];
  const missing: string[] = [];
  for (const [file, sum] of listed) {
    if (!present.has(file)) missing.push(file);
    else if ((await sha256File(join(dir, file))) !== sum) edited.push(file);
  }
  const added = [...present].filter((f) => f !== CHECKSUM_FILE && !listed.has(f)).sort(compare);
  return { manifest: true, edited, missing, added };
}

/** `<hex>  <path>` lines (a `*` before the path marks binary mode in sha256sum). */
async function readManifest(dir: string): Promise<Map<string, string> | null> {
  let text: string;
  try {
    text = await readFile(join(dir, CHECKSUM_FILE), "utf8");
  } catch {
    return null;
  }
  const sums = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^([0-9a-f]{64}) [ *](.+)$/i.exec(line);
    if (match) sums.set(match[2]!, match[1]!.toLowerCase());
  }
  return new Map([...sums].sort(([a], [b]) => compare(a, b)));
}

async function listFiles(dir: string): Promise<Set<string>> {
  const out = new Set<string>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const parent = (entry as { parentPath?: string; path?: string }).parentPath ?? (entry as { path: string }).path;
    out.add(relative(dir, join(parent, entry.name)).split(sep).join("/"));
  }
  return out;
}

/** SHA-256 of a file's bytes, hex; streamed, so a large module costs no memory. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
