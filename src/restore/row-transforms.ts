/**
 * A one-off transform written into a dump's restore.ts (see templates/restore.ts). The
 * restore runs them as the last step of the migration chain (see src/migrate/): after
 * the application's own steps, on rows of the final schema. `table` is a table key of
 * schema.ts (keys survive renames) or a table name after the steps.
 */
export interface RowTransform {
  readonly table: string;
  /** Return the row to load (changed or not), or null to drop it. */
  readonly row: (row: Record<string, unknown>) => Record<string, unknown> | null;
}
