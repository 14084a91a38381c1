import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { GenDumpError } from "../errors.ts";

/** Temporary directories being written in this process, for {@link removeUnfinishedOutputSync}. */
const unfinished = new Set<string>();

/**
 * Remove every temporary dump directory this process is still writing. For a signal
 * handler (Ctrl-C), which must clean up synchronously before the process exits; the
 * final OUTPUT_DIR is never touched.
 */
export function removeUnfinishedOutputSync(): void {
  for (const temp of unfinished) rmSync(temp, { recursive: true, force: true });
  unfinished.clear();
}

/**
 * The output directory is written as a hidden temporary sibling and renamed into place
 * only when everything is written, so a dump that fails or is interrupted never leaves a
 * directory that looks complete.
 */
export class OutputDir {
  readonly final: string;
  readonly temp: string;

  private constructor(final: string) {
    this.final = final;
    const tag = `${process.pid}-${randomBytes(4).toString("hex")}`;
    this.temp = join(dirname(final), `.${basename(final)}.gen-dump-tmp-${tag}`);
  }

  /** Check OUTPUT_DIR before reading anything: refuse a non-empty one without --overwrite. */
  static async prepare(path: string, options: { readonly overwrite: boolean; readonly simulate: boolean }): Promise<OutputDir> {
    const final = resolve(path);
    const existing = await listIfDirectory(final);
    if (existing === "file") {
      throw new GenDumpError("OUTPUT_EXISTS", `OUTPUT_DIR ${path} exists and is not a directory; choose another path.`);
    }
    if (existing !== null && existing.length > 0 && !options.overwrite && !options.simulate) {
      throw new GenDumpError(
        "OUTPUT_EXISTS",
        `OUTPUT_DIR ${path} already exists and is not empty. Pass --overwrite to replace it ` +
          "(files from the earlier dump that this one does not write are removed), or choose another directory.",
      );
    }
    return new OutputDir(final);
  }

  async create(): Promise<void> {
    await mkdir(dirname(this.final), { recursive: true });
    unfinished.add(this.temp);
    await mkdir(join(this.temp, "data"), { recursive: true });
  }

  /** Write a small file (schema.ts, restore.ts, ...) into the temporary directory. */
  async writeText(relative: string, text: string): Promise<void> {
    await writeFile(join(this.temp, relative), text, { flag: "wx" });
  }

  /** Replace OUTPUT_DIR by the finished temporary directory. */
  async commit(): Promise<void> {
    const existing = await listIfDirectory(this.final);
    unfinished.delete(this.temp);
    if (existing === null) {
      await rename(this.temp, this.final);
      return;
    }
    const old = `${this.temp}-old`;
    await rename(this.final, old);
    await rename(this.temp, this.final);
    await rm(old, { recursive: true, force: true });
  }

  async discard(): Promise<void> {
    unfinished.delete(this.temp);
    await rm(this.temp, { recursive: true, force: true });
  }
}

async function listIfDirectory(path: string): Promise<string[] | "file" | null> {
  try {
    const info = await stat(path);
    if (!info.isDirectory()) return "file";
    return await readdir(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}
