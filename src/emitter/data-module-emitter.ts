import { encodeString } from "../encoding/literal-encoder.ts";
import type { TableSchema } from "../model/schema-model.ts";
import { readTemplate } from "./template-files.ts";

/**
 * The text of a data module around its rows: the template's header with the table key
 * and the column names filled in (through the one string encoder), up to and including
 * the line that opens the row array; rows follow, one per line, then `suffix`.
 */
export interface DataModuleFrame {
  readonly prefix: string;
  readonly suffix: string;
  /** 1-based line number of the first row line in every part. */
  readonly firstRowLine: number;
}

const OPEN_MARK = '("__TABLE__", ["__COLUMNS__"], [\n';

export function dataModuleFrame(table: TableSchema, columns: readonly string[]): DataModuleFrame {
  const template = readTemplate("data/data-module.ts");
  const open = template.indexOf(OPEN_MARK);
  if (open < 0) throw new Error("templates/data/data-module.ts lost its row-array marker");
  const head = template.slice(0, open + OPEN_MARK.length);
  const key = encodeString(table.key);
  const prefix = head
    .replace('Tables["__TABLE__"]', () => `Tables[${key}]`)
    .replace('("__TABLE__", ["__COLUMNS__"], [', () => `(${key}, [${columns.map(encodeString).join(", ")}], [`);
  // NOTE: replacement functions, not strings: a `$&` in a table name must stay literal.
  const firstRowLine = prefix.split("\n").length;
  return { prefix, suffix: "]);\n", firstRowLine };
}
