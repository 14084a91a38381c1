/**
 * The steps API for an application's migrations module (imported as `gen-dump/migrate`):
 * `export default defineMigrations({ versions, steps })`.
 */
export {
  defineMigrations,
  type AddColumnSpec,
  type ColumnSpec,
  type CreateTableSpec,
  type MigrationDb,
  type MigrationHook,
  type MigrationRow,
  type Migrations,
  type ProducedRow,
  type StepBuilder,
  type StepFunction,
} from "./migration-steps.ts";
export { loadMigrations, resolveChain } from "./migration-chain.ts";
export { type MigrationPlan, planMigration } from "./migration-plan.ts";
