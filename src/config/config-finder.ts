import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { GenDumpError } from "../errors.ts";
import { type LoadedConfig, validateConfig } from "./gen-dump-config.ts";

/** The file names looked for in each directory. Two of them in one directory is an error. */
export const CONFIG_FILE_NAMES: readonly string[] = ["gen-dump.config.ts", "gen-dump.config.js", "gen-dump.config.json"];

/**
 * Find the application's configuration from `startDir` (default: the working directory)
 * upward, stopping at the filesystem root, and load and check it. Null when there is none.
 * `.ts` and `.js` files are imported (their default export is the configuration; the CLI
 * runs under tsx, so TypeScript loads), `.json` files are parsed.
 */
export async function findConfig(startDir: string = process.cwd()): Promise<LoadedConfig | null> {
  let dir = resolve(startDir);
  for (;;) {
    const present = CONFIG_FILE_NAMES.filter((name) => existsSync(join(dir, name)));
    if (present.length > 1) {
      throw new GenDumpError("USAGE", `${dir} has ${present.join(" and ")}: gen-dump cannot tell which configuration to use. Keep one of them.`, {
        file: join(dir, present[0]!),
      });
    }
    if (present.length === 1) return loadConfig(join(dir, present[0]!));
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Load and check one configuration file. */
export async function loadConfig(path: string): Promise<LoadedConfig> {
  const value = path.endsWith(".json") ? readJsonConfig(path) : await importConfig(path);
  return { path, dir: dirname(path), config: validateConfig(value, path) };
}

function readJsonConfig(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new GenDumpError("USAGE", `Cannot read the configuration ${path}: ${reason(error)}.`, { file: path }, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new GenDumpError("USAGE", `${path} is not valid JSON: ${reason(error)}. Fix the file or remove it.`, { file: path }, { cause: error });
  }
}

async function importConfig(path: string): Promise<unknown> {
  let module: Record<string, unknown>;
  try {
    module = path.endsWith(".ts") ? await importTypeScript(path) : ((await import(pathToFileURL(path).href)) as Record<string, unknown>);
  } catch (error) {
    throw new GenDumpError("USAGE", `Loading the configuration ${path} failed: ${reason(error)}.`, { file: path }, { cause: error });
  }
  const value = unwrapCommonJs(module.default);
  if (value === undefined) {
    throw new GenDumpError("USAGE", `${path} has no default export: write \`export default defineConfig({ ... })\` (defineConfig from "gen-dump").`, { file: path });
  }
  return value;
}

/**
 * Import a TypeScript config whatever its package's module type.
 * NOTE: the nearest package.json decides: without `"type": "module"` Node loads the file as
 * CommonJS, which the ESM-only loader the CLI registers cannot do; tsx's `tsImport` loads
 * both kinds (and re-reads the file on every call).
 * @see https://tsx.is/dev-api/ts-import
 */
async function importTypeScript(path: string): Promise<Record<string, unknown>> {
  const { tsImport } = await import("tsx/esm/api");
  return (await tsImport(pathToFileURL(path).href, import.meta.url)) as Record<string, unknown>;
}

/** An ES module compiled to CommonJS arrives as `{ __esModule: true, default?: config }`. */
function unwrapCommonJs(value: unknown): unknown {
  if (typeof value === "object" && value !== null && Object.hasOwn(value, "__esModule")) {
    return (value as { default: unknown }).default;
  }
  return value;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
