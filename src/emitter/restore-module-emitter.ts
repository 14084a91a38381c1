import { encodeJsonLike } from "../encoding/literal-encoder.ts";
import { fillConstant, readTemplate } from "./template-files.ts";

/** What `restore.ts` records about its dump. Plain JSON data. */
export interface DumpManifest {
  readonly genDumpVersion: string;
  readonly formatVersion: number;
  readonly source: { readonly engine: string; readonly database: string; readonly serverVersion: string };
  readonly appVersion: string;
  /** Tables that could not be read (--tolerate): the dump is incomplete when non-empty. */
  readonly failedTables: readonly string[];
  /** Data modules in load order. */
  readonly modules: readonly DumpModuleEntry[];
}

export interface DumpModuleEntry {
  readonly file: string;
  readonly table: string;
  readonly rows: number;
}

/** The text of `restore.ts`: the template with the manifest filled in. */
export function emitRestoreModule(manifest: DumpManifest): string {
  return fillConstant(readTemplate("restore.ts"), "dump", encodeJsonLike(manifest));
}
