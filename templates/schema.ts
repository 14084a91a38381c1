// gen-dump schema module: the structure of every table in this dump, and each table's row type.
import type { Int, Real, Text, Bool, Blob, Any } from "./dump-helpers.ts";

/** The neutral schema of the source database (see gen-dump's DatabaseSchema). */
export const schema = {};

/** Row types: one tuple per table, in the column order of its data modules. */
export interface Tables {
  "__TABLE__": [];
}

export type ColumnTypes = Int | Real | Text | Bool | Blob | Any;
