import { GenDumpError } from "../errors.ts";

/**
 * The application's gen-dump configuration: `gen-dump.config.ts`, `.js` or `.json`, found
 * from the working directory upward. Relative paths in it are relative to the config file.
 */
export interface GenDumpConfig {
  /** Default database URL/path (used when --db and DATABASE_URL are absent). */
  readonly db?: string;
  /** The application's current version, or a function returning it (sync or async). */
  readonly version?: string | (() => string | Promise<string>);
  /** Where to read the version instead: a JSON file path (relative to the config file) and a dotted key, e.g. { file: "package.json", key: "version" }. */
  readonly versionFrom?: { readonly file: string; readonly key?: string };
  /** Path (relative to the config file) of the migrations module. */
  readonly migrations?: string;
}

/** A configuration file found and checked: its absolute path, its directory and its content. */
export interface LoadedConfig {
  readonly path: string;
  readonly dir: string;
  readonly config: GenDumpConfig;
}

/** The keys a config may have, each with the check its value must pass. */
const KEYS: Readonly<Record<string, (value: unknown) => string | null>> = {
  db: (v) => (nonEmptyString(v) ? null : "must be a non-empty string (a SQLite path or a postgres:// URL)"),
  version: (v) => (nonEmptyString(v) || typeof v === "function" ? null : "must be a non-empty string or a function returning one"),
  versionFrom: checkVersionFrom,
  migrations: (v) => (nonEmptyString(v) ? null : "must be a non-empty string (a path relative to the config file)"),
};

function nonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value !== "";
}

function checkVersionFrom(value: unknown): string | null {
  const shape = 'must be an object like { file: "package.json", key: "version" }';
  if (typeof value !== "object" || value === null || Array.isArray(value)) return shape;
  for (const [key, v] of Object.entries(value)) {
    if (key !== "file" && key !== "key") return `has an unknown key ${JSON.stringify(key)}; ${shape}`;
    if (!nonEmptyString(v)) return `.${key} must be a non-empty string; ${shape}`;
  }
  return "file" in value ? null : `has no "file"; ${shape}`;
}

/**
 * Check what a config file exported. Every problem is a USAGE error naming the file and
 * the key, so a typo (`migration:`) is caught rather than silently ignored.
 */
export function validateConfig(value: unknown, path: string): GenDumpConfig {
  const fail = (message: string) => new GenDumpError("USAGE", `${path}: ${message}`, { file: path });
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw fail(`the configuration must be an object (export default defineConfig({ ... })), not ${describe(value)}.`);
  }
  const known = Object.keys(KEYS).join(", ");
  for (const [key, v] of Object.entries(value)) {
    const check = KEYS[key];
    if (check === undefined) throw fail(`unknown key ${JSON.stringify(key)}; a gen-dump configuration has only ${known}.`);
    if (v === undefined) continue;
    const problem = check(v);
    if (problem !== null) throw fail(`"${key}" ${problem}, not ${describe(v)}.`);
  }
  const config = value as GenDumpConfig;
  if (config.version !== undefined && config.versionFrom !== undefined) {
    throw fail('give either "version" or "versionFrom", not both.');
  }
  return config;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return `a ${typeof value}`;
}
