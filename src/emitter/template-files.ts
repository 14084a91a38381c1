import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { GenDumpError } from "../errors.ts";

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

/**
 * `template` with `export const NAME = {};` given `initializer` (a literal's text) for its
 * `{}`, each line after the first indented by four spaces: what ts-morph's
 * `setInitializer` wrote, byte for byte but for a quirk of its re-indentation (see
 * test/unit/emitter-identifiers.test.ts, which holds the two side by side), without
 * loading the TypeScript compiler (about 1 s of CPU and 60 MB a dump).
 */
export function fillConstant(template: string, name: string, initializer: string): string {
  const [before, after] = splitAt(template, `export const ${name} = {};`);
  // NOTE: slices, not String#replace, whose replacement would read `$&` in a value as a pattern.
  return `${before}export const ${name} = ${initializer.split("\n").join("\n    ")};${after}`;
}

/** `template` with the members of `export interface NAME { … }` replaced by one `  name: type;` line each (as ts-morph's `addProperties` wrote them). */
export function fillInterface(template: string, name: string, members: readonly { readonly name: string; readonly type: string }[]): string {
  const [before, rest] = splitAt(template, `export interface ${name} {\n`);
  // The first line that starts with `}` closes it (the newline before `rest` is the marker's).
  const closing = `\n${rest}`.indexOf("\n}");
  if (closing < 0) throw new GenDumpError("INTERNAL", `A template of gen-dump has no end to interface ${name}.`);
  const body = members.map((m) => `  ${m.name}: ${m.type};\n`).join("");
  return `${before}export interface ${name} {\n${body}${rest.slice(closing)}`;
}

/** The text before and after the one occurrence of `marker` in a template. */
function splitAt(template: string, marker: string): [string, string] {
  const at = template.indexOf(marker);
  if (at < 0 || template.indexOf(marker, at + 1) >= 0) throw new GenDumpError("INTERNAL", `A template of gen-dump does not hold \`${marker.trim()}\` exactly once.`);
  return [template.slice(0, at), template.slice(at + marker.length)];
}
