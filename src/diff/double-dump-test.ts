import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CHECKSUM_FILE } from "../check/checksum-verifier.ts";
import type { ScratchDatabase } from "../dialects/dialect.ts";
import { loadDialect, parseDatabaseUrl } from "../dialects/registry.ts";
import { dump } from "../dump/dump.ts";
import { encodeString } from "../encoding/literal-encoder.ts";
import { readDumpDirectory, restoreDirectory } from "../restore/dump-directory.ts";
import type { RowTransform } from "../restore/row-transforms.ts";
import { type DumpDiff, diffDumps } from "./diff-dumps.ts";
import { type FileDifference, compareTrees } from "./tree-compare.ts";

/** Options of `doubleDumpTest()`; `gen-dump ddt` flags map onto these. */
export interface DoubleDumpOptions {
  /** The database to test (default `DATABASE_URL`). Only ever read. */
  readonly db?: string;
  /** Rows per data module in both dumps. */
  readonly maxRowCount?: number;
  /** Keep the two dumps (their paths are in the report) instead of removing them. */
  readonly keep?: boolean;
  /** Transforms applied during the restore: tests use them to make a value that does not round-trip. */
  readonly transforms?: readonly RowTransform[];
  /** Where the temporary dumps go (default: the system's temporary directory). */
  readonly tempDir?: string;
}

export interface DoubleDumpReport {
  readonly passed: boolean;
  /** The database tested, for messages (no password). */
  readonly source: string;
  /** Rows and tables compared by the row diff. */
  readonly diff: DumpDiff;
  /** First byte difference between the two dumps, or null when they are identical. */
  readonly fileDifference: FileDifference | null;
  /** The two dumps, when kept. */
  readonly dumps: { readonly first: string; readonly second: string } | null;
}

/**
 * The Double Dump Test: dump the database, restore the dump into a scratch database of
 * the same engine (a temporary SQLite file, or a PostgreSQL database created for it and
 * dropped after), dump the scratch database, and compare the two dumps row by row and
 * byte for byte. The source is only read. Passes when both comparisons find nothing.
 */
export async function doubleDumpTest(options: DoubleDumpOptions = {}): Promise<DoubleDumpReport> {
  const url = parseDatabaseUrl(options.db);
  const dialect = await loadDialect(url.engine);
  const work = await mkdtemp(join(options.tempDir ?? tmpdir(), "gen-dump-ddt-"));
  // NOTE: a dump is a set of ES modules (restore.ts awaits at top level); Node and tsx read
  // `.ts` files outside a `"type": "module"` package as CommonJS, so the work directory says so.
  await writeFile(join(work, "package.json"), '{ "type": "module" }\n');
  const first = join(work, "first");
  const second = join(work, "second");
  let scratch: ScratchDatabase | undefined;
  try {
    await dump({ db: options.db, outputDir: first, maxRowCount: options.maxRowCount });
    scratch = await dialect.createScratch(url);
    // The dump's own version as the target: the Double Dump Test never runs migration steps.
    const toVersion = (await readDumpDirectory(first)).dump.appVersion;
    await restoreDirectory(first, { db: scratch.url.connection, noinput: true, toVersion, ...(options.transforms ? { transforms: options.transforms } : {}) });
    await dump({ db: scratch.url.connection, outputDir: second, maxRowCount: options.maxRowCount });
    const diff = await diffDumps(first, second, { equality: "exact" });
    const fileDifference = await compareTrees(first, second, { allow: await databaseNameAllowance(first, second), derived: [CHECKSUM_FILE] });
    return {
      passed: diff.equal && fileDifference === null,
      source: url.display,
      diff,
      fileDifference,
      dumps: options.keep ? { first, second } : null,
    };
  } finally {
    await scratch?.drop();
    if (!options.keep) await rm(work, { recursive: true, force: true });
  }
}

/**
 * The one thing two dumps of a database and its scratch copy may differ in: the name of
 * the database restore.ts records (and so restore.ts's checksum).
 */
async function databaseNameAllowance(first: string, second: string): Promise<(file: string, a: string, b: string) => boolean> {
  const [nameA, nameB] = [(await readDumpDirectory(first)).dump.source.database, (await readDumpDirectory(second)).dump.source.database];
  const [quotedA, quotedB] = [encodeString(nameA), encodeString(nameB)];
  return (file, a, b) => {
    if (file === "restore.ts") return a.includes(quotedA) && a.replace(quotedA, quotedB) === b;
    return file === "checksums.sha256" && a.endsWith("  restore.ts") && b.endsWith("  restore.ts");
  };
}
