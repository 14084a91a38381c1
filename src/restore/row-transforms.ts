import type { TableSchema } from "../model/schema-model.ts";
import type { DumpRow } from "../model/values.ts";
import { normalizeImportedValue } from "./imported-value.ts";

/** A one-off transform written into a dump's restore.ts (see templates/restore.ts). */
export interface RowTransform {
  readonly table: string;
  readonly row: (row: Record<string, unknown>) => Record<string, unknown> | null;
}

/** Apply the transforms for `table` to a batch; rows are untouched when there are none. */
export function applyTransforms(
  transforms: readonly RowTransform[],
  table: TableSchema,
  columns: readonly string[],
  rows: DumpRow[],
): DumpRow[] {
  const mine = transforms.filter((t) => t.table === table.key);
  if (mine.length === 0) return rows;
  const kinds = columns.map((c) => table.columns.find((col) => col.name === c)?.kind ?? "integer");
  const out: DumpRow[] = [];
  for (const row of rows) {
    let record: Record<string, unknown> | null = Object.fromEntries(columns.map((c, i) => [c, row[i]]));
    for (const t of mine) {
      if (record === null) break;
      record = t.row(record);
    }
    if (record === null) continue;
    const result = record;
    const where = () => `a transform in restore.ts, table ${table.name}`;
    out.push(columns.map((c, i) => normalizeImportedValue(result[c] ?? null, kinds[i]!, where)));
  }
  return out;
}
