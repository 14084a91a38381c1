import { encodeJsonLike, encodeString } from "../encoding/literal-encoder.ts";
import { type DatabaseSchema, type TableSchema, dataColumns } from "../model/schema-model.ts";
import type { ValueKind } from "../model/values.ts";
import { fillConstant, fillInterface, readTemplate } from "./template-files.ts";

const TYPE_OF_KIND: Readonly<Record<ValueKind, string>> = {
  integer: "Int",
  real: "Real",
  text: "Text",
  boolean: "Bool",
  blob: "Blob",
  any: "Any",
};

/** The text of `schema.ts`: the neutral schema as data, and one row tuple type per table. */
export function emitSchemaModule(schema: DatabaseSchema): string {
  const text = fillConstant(readTemplate("schema.ts"), "schema", encodeJsonLike(schema));
  return fillInterface(text, "Tables", schema.tables.map((table) => ({ name: encodeString(table.key), type: rowTupleType(table) })));
}

/** `[id: Int, name: Text | null]`: labels are documentation, so any name is made a safe label. */
export function rowTupleType(table: TableSchema): string {
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const used = new Set<string>();
  const members = dataColumns(table).map((name) => {
    const column = byName.get(name);
    const base = column === undefined ? "Int" : TYPE_OF_KIND[column.kind];
    const type = column?.nullable ? `${base} | null` : base;
    return `${uniqueLabel(name, used)}: ${type}`;
  });
  return `[${members.join(", ")}]`;
}

const RESERVED = new Set(
  ("break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "as implements interface let package private protected public static yield any boolean number string symbol " +
    "type from of readonly unique infer keyof never unknown object bigint undefined").split(" "),
);

function uniqueLabel(name: string, used: Set<string>): string {
  let label = name.replace(/[^A-Za-z0-9_$]/g, "_");
  if (label === "" || /^[0-9]/.test(label)) label = `_${label}`;
  if (RESERVED.has(label)) label = `${label}_`;
  let candidate = label;
  for (let n = 2; used.has(candidate); n++) candidate = `${label}_${n}`;
  used.add(candidate);
  return candidate;
}
