import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";

/** The first place where two directories differ. */
export interface FileDifference {
  /** Path relative to both directories, `/`-separated. */
  readonly file: string;
  /** 1-based line of the first differing line; null when the file is missing on one side. */
  readonly line: number | null;
  /** That line in each directory (null: no such file or line). */
  readonly a: string | null;
  readonly b: string | null;
}

export interface TreeCompareOptions {
  /**
   * Lines of a file that may differ, as a function of the file and both lines (the
   * database name a dump records differs between a source and its scratch copy).
   */
  readonly allow?: (file: string, a: string, b: string) => boolean;
  /** Files that summarize the others (a checksum manifest): compared last, so the difference named is a real one. */
  readonly derived?: readonly string[];
}

/** Compare two directory trees byte for byte; the first difference in path order, or null. */
export async function compareTrees(a: string, b: string, options: TreeCompareOptions = {}): Promise<FileDifference | null> {
  const [filesA, filesB] = [await listTree(a), await listTree(b)];
  const derived = new Set(options.derived ?? []);
  const rank = (f: string) => (derived.has(f) ? 1 : 0);
  const all = [...new Set([...filesA, ...filesB])].sort((x, y) => rank(x) - rank(y) || (x < y ? -1 : x > y ? 1 : 0));
  for (const file of all) {
    if (!filesA.has(file) || !filesB.has(file)) return { file, line: null, a: filesA.has(file) ? "" : null, b: filesB.has(file) ? "" : null };
    const [ba, bb] = [await readFile(join(a, file)), await readFile(join(b, file))];
    if (ba.equals(bb)) continue;
    const found = firstLineDifference(file, ba.toString("latin1"), bb.toString("latin1"), options);
    if (found) return found;
  }
  return null;
}

function firstLineDifference(file: string, textA: string, textB: string, options: TreeCompareOptions): FileDifference | null {
  const linesA = textA.split("\n");
  const linesB = textB.split("\n");
  for (let i = 0; i < Math.max(linesA.length, linesB.length); i++) {
    const la = linesA[i];
    const lb = linesB[i];
    if (la === lb) continue;
    if (la !== undefined && lb !== undefined && options.allow?.(file, la, lb)) continue;
    const text = (s: string | undefined) => (s === undefined ? null : Buffer.from(s, "latin1").toString("utf8"));
    return { file, line: i + 1, a: text(la), b: text(lb) };
  }
  return null;
}

async function listTree(dir: string): Promise<Set<string>> {
  const out = new Set<string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const parent = (entry as { parentPath?: string; path?: string }).parentPath ?? (entry as { path: string }).path;
    out.add(relative(dir, join(parent, entry.name)).split(sep).join("/"));
  }
  return out;
}
