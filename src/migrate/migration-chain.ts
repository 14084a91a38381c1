import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { GenDumpError, errorGist } from "../errors.ts";
import { type Migrations, type RecordedStep, recordStep } from "./migration-steps.ts";

/**
 * The steps from `from` to `to`: every step after the source version up to and
 * including the target version, in the order of `versions`. Every problem (an unknown
 * version, a dump newer than the target, a missing step, a step that throws while
 * declaring) is found here, before the target is opened.
 */
export function resolveChain(migrations: Migrations, from: string, to: string, module: string): RecordedStep[] {
  const versions = migrations.versions;
  const known = `the versions ${module} lists are ${versions.map((v) => JSON.stringify(v)).join(", ")}`;
  const start = versions.indexOf(from);
  const end = versions.indexOf(to);
  if (start < 0) {
    throw new GenDumpError("TRANSFORM", `The dump was taken at application version ${JSON.stringify(from)}, which ${module} does not know (${known}). Add it to \`versions\`, or correct appVersion in the dump's restore.ts.`);
  }
  if (end < 0) {
    throw new GenDumpError("TRANSFORM", `The target version ${JSON.stringify(to)} (from --to-version or gen-dump.config) is not one ${module} knows (${known}).`);
  }
  if (start > end) {
    throw new GenDumpError(
      "TRANSFORM",
      `The dump is from application version ${JSON.stringify(from)}, newer than the target version ${JSON.stringify(to)}: gen-dump does not downgrade data. Restore it with the application at version ${JSON.stringify(from)} or later (--to-version).`,
    );
  }
  const chain = versions.slice(start + 1, end + 1);
  const missing = chain.filter((v) => typeof migrations.steps[v] !== "function");
  if (missing.length > 0) {
    throw new GenDumpError(
      "TRANSFORM",
      `${module} has no step for version${missing.length > 1 ? "s" : ""} ${missing.map((v) => JSON.stringify(v)).join(", ")}, needed to go from ${JSON.stringify(from)} to ${JSON.stringify(to)}. Add steps.${JSON.stringify(missing[0]).slice(1, -1)} = (m) => { ... } (an empty step when the data needs no change).`,
    );
  }
  return chain.map((v) => recordStep(v, migrations.steps[v]!));
}

/** Import an application's migrations module and check its default export's shape. */
export async function loadMigrations(path: string): Promise<Migrations> {
  const absolute = resolve(path);
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(absolute).href)) as typeof module;
  } catch (error) {
    const reason = errorGist(error);
    throw new GenDumpError("TRANSFORM", `The migrations module ${absolute} does not load: ${reason}`, { file: absolute }, { cause: error });
  }
  const value = module.default as Partial<Migrations> | undefined;
  const versionsOk = Array.isArray(value?.versions) && value.versions.every((v) => typeof v === "string");
  if (!value || !versionsOk || typeof value.steps !== "object" || value.steps === null) {
    throw new GenDumpError(
      "TRANSFORM",
      `${absolute} must \`export default defineMigrations({ versions: ["1", "2"], steps: { "2": (m) => { ... } } })\` (from "gen-dump/migrate").`,
      { file: absolute },
    );
  }
  const duplicate = value.versions!.find((v, i) => value.versions!.indexOf(v) !== i);
  if (duplicate !== undefined) {
    throw new GenDumpError("TRANSFORM", `${absolute} lists version ${JSON.stringify(duplicate)} twice in \`versions\`.`, { file: absolute });
  }
  const stray = Object.keys(value.steps).find((k) => !value.versions!.includes(k));
  if (stray !== undefined) {
    throw new GenDumpError("TRANSFORM", `${absolute} has a step for version ${JSON.stringify(stray)}, which is not in \`versions\`.`, { file: absolute });
  }
  return value as Migrations;
}
