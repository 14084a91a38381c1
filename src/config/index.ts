/**
 * The application's gen-dump configuration (`gen-dump.config.ts`, `.js` or `.json`):
 * finding it, checking it, and what the dump and restore read from it.
 */
export { type GenDumpConfig, type LoadedConfig, validateConfig } from "./gen-dump-config.ts";
export { CONFIG_FILE_NAMES, findConfig, loadConfig } from "./config-finder.ts";
export { configVersion, migrationsPath } from "./config-version.ts";

import type { GenDumpConfig } from "./gen-dump-config.ts";

/** Identity helper for `gen-dump.config.ts`: `export default defineConfig({ ... })` gets types. */
export function defineConfig(config: GenDumpConfig): GenDumpConfig {
  return config;
}
