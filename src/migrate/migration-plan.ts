import { GenDumpError } from "../errors.ts";
import { type DatabaseSchema, displayName } from "../model/schema-model.ts";
import type { RowTransform } from "../restore/row-transforms.ts";
import { type MigrationOp, RESTORE_TS_STEP, type RecordedStep, type StepHooks } from "./migration-steps.ts";
import { RowPipeline } from "./row-pipeline.ts";
import { lookup, transformSchema } from "./schema-transform.ts";

/** Everything a restore needs to apply a chain: the final schema, the row pipeline, the hooks. */
export interface MigrationPlan {
  /** Step names in order: versions of the chain, then "restore.ts" when the dump has transforms. */
  readonly steps: readonly string[];
  /** The dump's schema after every step. */
  readonly schema: DatabaseSchema;
  readonly warnings: readonly string[];
  readonly pipeline: RowPipeline;
  readonly hooks: readonly StepHooks[];
  /** Whether anything changes at all (false: restore the dump as it is). */
  readonly active: boolean;
}

/**
 * Combine the chain's steps and the dump's own one-off transforms (restore.ts, the
 * last step: their `table` is a table key of schema.ts, which survives renames, or a
 * table name of the final schema) into one plan. Pure: nothing is opened.
 */
export function planMigration(schema: DatabaseSchema, chain: readonly RecordedStep[], transforms: readonly RowTransform[]): MigrationPlan {
  const chainOps = chain.flatMap((s) => s.ops);
  const afterChain = transformSchema(schema, chainOps).schema;
  const mapOps: MigrationOp[] = transforms.map((t, index) => {
    const table = afterChain.tables.find((x) => x.key === t.table) ?? lookup(afterChain.tables, t.table);
    if (table === undefined) {
      throw new GenDumpError("TRANSFORM", `restore.ts: transform ${index + 1} names table ${JSON.stringify(t.table)}, which is not a table key of schema.ts${chain.length > 0 ? " nor a table after the migration steps" : ""}.`, { table: t.table });
    }
    if (typeof t.row !== "function") throw new GenDumpError("TRANSFORM", `restore.ts: transform ${index + 1} (table ${t.table}) has no \`row\` function.`, { table: t.table });
    return { op: "mapRows", table: displayName(table), map: t.row, step: RESTORE_TS_STEP, index };
  });
  const all = transformSchema(schema, [...chainOps, ...mapOps]);
  const steps = [...chain.map((s) => s.version), ...(mapOps.length > 0 ? [RESTORE_TS_STEP] : [])];
  return {
    steps,
    schema: all.schema,
    warnings: all.warnings,
    pipeline: new RowPipeline(steps, all.resolved),
    hooks: chain.map((s) => s.hooks),
    active: steps.length > 0,
  };
}
