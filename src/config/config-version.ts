import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { GenDumpError } from "../errors.ts";
import type { LoadedConfig } from "./gen-dump-config.ts";

/**
 * The application's current version according to its configuration: `version` (a string,
 * or a function's sync or async result) or the value at `versionFrom.key` (default
 * "version") of the JSON file `versionFrom.file`. Null when the config names neither.
 */
export async function configVersion(loaded: LoadedConfig): Promise<string | null> {
  const { version, versionFrom } = loaded.config;
  if (typeof version === "string") return version;
  if (typeof version === "function") return checkedVersion(await callVersion(loaded, version), loaded.path, '"version" function');
  if (versionFrom !== undefined) return versionFromFile(loaded, versionFrom.file, versionFrom.key ?? "version");
  return null;
}

/** Absolute path of the migrations module, or null. */
export function migrationsPath(loaded: LoadedConfig): string | null {
  const path = loaded.config.migrations;
  if (path === undefined) return null;
  return isAbsolute(path) ? path : resolve(loaded.dir, path);
}

async function callVersion(loaded: LoadedConfig, version: () => string | Promise<string>): Promise<unknown> {
  try {
    return await version();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new GenDumpError("USAGE", `${loaded.path}: the "version" function failed: ${reason}.`, { file: loaded.path }, { cause: error });
  }
}

function checkedVersion(value: unknown, path: string, what: string): string {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "string" && value !== "") return value;
  const shown = typeof value === "string" ? '""' : value === null ? "null" : typeof value === "object" ? `a${Array.isArray(value) ? "n array" : "n object"}` : String(value);
  throw new GenDumpError("USAGE", `${path}: the ${what} gave ${shown}; an application version must be a non-empty string (or a number).`, { file: path });
}

function versionFromFile(loaded: LoadedConfig, file: string, key: string): string {
  const path = resolve(loaded.dir, file);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new GenDumpError("USAGE", `${loaded.path}: "versionFrom" names ${path}, which cannot be read as JSON: ${reason}.`, { file: path }, { cause: error });
  }
  let value: unknown = data;
  for (const part of key.split(".")) {
    const holder = value as Record<string, unknown> | null;
    value = typeof holder === "object" && holder !== null && !Array.isArray(holder) && Object.hasOwn(holder, part) ? holder[part] : undefined;
  }
  if (value === undefined) {
    throw new GenDumpError("USAGE", `${loaded.path}: "versionFrom" key ${JSON.stringify(key)} is not in ${path}.`, { file: path });
  }
  return checkedVersion(value, loaded.path, `"versionFrom" key ${JSON.stringify(key)} of ${path}`);
}
