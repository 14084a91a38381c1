/** `gen-dump diff` and `gen-dump ddt` as functions. */
export { diffDumps, type DiffOptions, type DumpDiff, type TableDiff } from "./diff-dumps.ts";
export type { RowChange, RowSide, ValueChange } from "./row-differ.ts";
export { doubleDumpTest, type DoubleDumpOptions, type DoubleDumpReport } from "./double-dump-test.ts";
export type { FileDifference } from "./tree-compare.ts";
