import type { Dialect, DatabaseUrl } from "../dialects/dialect.ts";
import { GenDumpError } from "../errors.ts";
import { lookup } from "../migrate/schema-transform.ts";
import { type ColumnSchema, type DatabaseSchema, type TableSchema, dataColumns, displayName } from "../model/schema-model.ts";
import type { ValueKind } from "../model/values.ts";

/** Target column kinds and the kinds of data they accept. */
const ACCEPTS: Readonly<Record<ValueKind, readonly ValueKind[]>> = {
  integer: ["integer"],
  real: ["real", "integer"],
  boolean: ["boolean"],
  text: ["text"],
  blob: ["blob"],
  any: ["integer", "real", "boolean", "text", "blob", "any"],
};

/** Read the structure of the target of a --data-only restore (through the dialect's introspection). */
export async function introspectTarget(dialect: Dialect, url: DatabaseUrl): Promise<DatabaseSchema> {
  const source = await dialect.openSource({ url });
  try {
    return await source.introspect();
  } finally {
    await source.close();
  }
}

/**
 * The pre-flight of a --data-only restore: every table of the (transformed) dump schema
 * must exist in the target with every column the rows carry, of a kind that takes
 * them, and every NOT NULL target column without a default must get a value. All
 * mismatches are reported at once, before anything is written. Returns, per final
 * table key, the target's table the rows go into.
 */
export function checkDataOnly(expected: DatabaseSchema, actual: DatabaseSchema, display: string): Map<string, TableSchema> {
  const problems: string[] = [];
  const mapping = new Map<string, TableSchema>();
  for (const table of expected.tables) {
    const found = lookup(actual.tables, displayName(table)) ?? lookup(actual.tables, table.name);
    if (found === undefined) {
      problems.push(`table ${displayName(table)} is missing`);
      continue;
    }
    mapping.set(table.key, found);
    const carried = dataColumns(table).filter((c) => c !== table.rowidColumn);
    for (const name of carried) {
      const want = table.columns.find((c) => c.name === name)!;
      const have = found.columns.find((c) => c.name === name);
      if (have === undefined) problems.push(`table ${displayName(found)} has no column ${name}`);
      else if (!ACCEPTS[have.kind].includes(want.kind)) {
        problems.push(`column ${displayName(found)}.${name} is ${describe(have)}, which cannot take the dump's ${want.kind} values (${describe(want)})`);
      }
    }
    for (const column of found.columns) {
      if (column.nullable || column.default !== null || column.generated !== null || column.identity !== null || carried.includes(column.name)) continue;
      problems.push(`column ${displayName(found)}.${column.name} is NOT NULL without a default, and the dump gives it no value`);
    }
  }
  if (problems.length > 0) {
    throw new GenDumpError(
      "RESTORE",
      `--data-only: the target ${display} does not fit the ${problems.length > 1 ? `data (${problems.length} mismatches)` : "data"}: ${problems.map((p, i) => `(${i + 1}) ${p}`).join("; ")}. ` +
        "Nothing was written. Bring the target to the application's current schema, or add migration steps that produce these tables and columns.",
    );
  }
  return mapping;
}

function describe(column: ColumnSchema): string {
  return column.declaredType !== "" ? `${column.declaredType} (${column.kind})` : column.kind;
}
