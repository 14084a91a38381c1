import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The skeletons of generated files live in `templates/` as real, type-checked
 * TypeScript; the emitters fill them in. Read once per process.
 */
const templatesDir = fileURLToPath(new URL("../../templates/", import.meta.url));
const cache = new Map<string, string>();

export type TemplateName = "dump-helpers.ts" | "schema.ts" | "restore.ts" | "data/data-module.ts" | "tsconfig.dump.json" | "package.dump.json";

export function readTemplate(name: TemplateName): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(templatesDir + name, "utf8");
    cache.set(name, text);
  }
  return text;
}
