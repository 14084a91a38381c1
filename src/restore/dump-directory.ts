import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { DumpManifest } from "../emitter/restore-module-emitter.ts";
import { GenDumpError, errorGist } from "../errors.ts";
import type { DatabaseSchema } from "../model/schema-model.ts";
import { type RestoreOptions, type RestoreReport, restoreDump } from "./restore.ts";
import type { RowTransform } from "./row-transforms.ts";

/** A dump directory's restore.ts, read without running it. */
export interface DumpDirectory {
  readonly dir: string;
  readonly dump: DumpManifest;
  readonly schema: DatabaseSchema;
  readonly transforms: readonly RowTransform[];
}

/** Import DIR/restore.ts (its guard keeps it from restoring) and return what it declares. */
export async function readDumpDirectory(dir: string): Promise<DumpDirectory> {
  const root = resolve(dir);
  const entry = join(root, "restore.ts");
  if (!existsSync(entry)) {
    throw new GenDumpError("DUMP_FORMAT", `${dir} is not a gen-dump dump: it has no restore.ts.`, { file: entry });
  }
  let module: { dump?: DumpManifest; transforms?: RowTransform[] };
  let schemaModule: { schema?: DatabaseSchema };
  try {
    module = (await import(pathToFileURL(entry).href)) as typeof module;
    schemaModule = (await import(pathToFileURL(join(root, "schema.ts")).href)) as typeof schemaModule;
  } catch (error) {
    const reason = errorGist(error);
    throw new GenDumpError("DUMP_FORMAT", `${dir}: restore.ts or schema.ts does not load: ${reason}`, { file: entry }, { cause: error });
  }
  if (module.dump === undefined || schemaModule.schema === undefined) {
    throw new GenDumpError("DUMP_FORMAT", `${dir}: restore.ts must export \`dump\` and schema.ts must export \`schema\`.`, { file: entry });
  }
  return { dir: root, dump: module.dump, schema: schemaModule.schema, transforms: module.transforms ?? [] };
}

/** Restore the dump in `dir` (the programmatic twin of `tsx DIR/restore.ts`). */
export async function restoreDirectory(
  dir: string,
  options: Omit<RestoreOptions, "dumpDir" | "dump" | "schema">,
): Promise<RestoreReport> {
  const d = await readDumpDirectory(dir);
  return restoreDump({ transforms: d.transforms, ...options, dumpDir: d.dir, dump: d.dump, schema: d.schema });
}
