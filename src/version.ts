import { readFileSync } from "node:fs";

/** The gen-dump package version, recorded in every dump's restore.ts. */
export const GEN_DUMP_VERSION: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;

/**
 * The version of the dump format. A restore runtime reads formats up to its own and
 * refuses newer ones with a message saying to upgrade gen-dump.
 */
export const DUMP_FORMAT_VERSION = 1;
