import { joinKey, sqlText } from "../diff/value-key.ts";
import { encodeValue } from "../encoding/literal-encoder.ts";
import type { DatabaseSchema, ForeignKeySchema, TableSchema } from "../model/schema-model.ts";
import { displayName } from "../model/schema-model.ts";
import type { DumpRow, DumpValue, ValueKind } from "../model/values.ts";

/**
 * Primary keys, unique keys and foreign keys of a whole dump, checked while its rows
 * stream past once. Memory: one Map entry (key text → row ordinal) per row and key of
 * every table, about 80 bytes each, plus the foreign-key values that point at rows not
 * seen yet (cycles, self-references, parents later in load order).
 */

/** A row found wanting, to be located (line, column) by the caller. */
export interface RowFinding {
  readonly code: "duplicate" | "dangling";
  readonly message: string;
  readonly table: TableSchema;
  readonly column: string;
  readonly file: string;
  /** 0-based index of the row in its module. */
  readonly row: number;
  /** The columns the row's module names, in order (to find `column`'s value in the row). */
  readonly columns: readonly string[];
  /** For a duplicate: the earlier row with the same key. */
  readonly earlier?: { readonly file: string; readonly row: number; readonly columns: readonly string[] };
}

interface KeySet {
  readonly label: string;
  readonly columns: readonly string[];
  readonly unique: boolean;
  readonly seen: Map<string, number>;
}

interface ForeignKey {
  readonly fk: ForeignKeySchema;
  readonly label: string;
  readonly parent: TableKeys;
  readonly target: KeySet;
  /** Keys not found when their row was read, with the first such row and how many. */
  readonly pending: Map<string, { ordinal: number; count: number; shown: string }>;
}

interface Span {
  readonly file: string;
  readonly start: number;
  readonly columns: readonly string[];
}

class TableKeys {
  readonly sets: KeySet[] = [];
  readonly foreignKeys: ForeignKey[] = [];
  readonly spans: Span[] = [];
  rows = 0;
  done = false;
  /** Why some of the table's rows could not be read (then references to it are not checked). */
  incomplete: string | null = null;
  constructor(readonly table: TableSchema) {}

  keySet(columns: readonly string[], unique: boolean, label: string): KeySet {
    const found = this.sets.find((s) => s.columns.join("\0") === columns.join("\0"));
    if (found) return found;
    const set: KeySet = { label, columns, unique, seen: new Map() };
    this.sets.push(set);
    return set;
  }

  place(ordinal: number): { file: string; row: number; columns: readonly string[] } {
    let lo = 0;
    let hi = this.spans.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.spans[mid]!.start <= ordinal) lo = mid;
      else hi = mid - 1;
    }
    const span = this.spans[lo]!;
    return { file: span.file, row: ordinal - span.start, columns: span.columns };
  }
}

/** Where each key's columns are in the current module's rows (-1: the module lacks it). */
export interface ModuleKeys {
  readonly table: TableKeys;
  readonly file: string;
  readonly columns: readonly string[];
  readonly kinds: readonly ValueKind[];
  readonly sets: readonly { readonly set: KeySet; readonly at: readonly number[] }[];
  readonly fks: readonly { readonly fk: ForeignKey; readonly at: readonly number[] }[];
}

export class KeyIndex {
  private readonly tables = new Map<string, TableKeys>();
  /** Notes on checks that cannot run (a parent without rows in the dump, ...). */
  readonly skipped: { readonly table: TableSchema; readonly message: string }[] = [];

  /** `incomplete`: tables (by key) whose rows the dump lacks in part, and why: references to them are not checked. */
  constructor(schema: DatabaseSchema, incomplete: ReadonlyMap<string, string>) {
    for (const table of schema.tables) this.tables.set(table.key, new TableKeys(table));
    for (const keys of this.tables.values()) addUniqueSets(keys);
    for (const keys of this.tables.values()) this.addForeignKeys(keys, schema, incomplete);
  }

  /** Start a module of `tableKey` whose header names `columns` (kinds in that order). */
  beginModule(tableKey: string, file: string, columns: readonly string[], kinds: readonly ValueKind[]): ModuleKeys {
    const table = this.tables.get(tableKey)!;
    table.spans.push({ file, start: table.rows, columns });
    const at = (names: readonly string[]) => names.map((n) => columns.indexOf(n));
    return {
      table,
      file,
      columns,
      kinds,
      sets: table.sets.map((set) => ({ set, at: at(set.columns) })),
      fks: table.foreignKeys.map((fk) => ({ fk, at: at(fk.fk.columns) })),
    };
  }

  /** Index one row; findings are returned (rarely any). */
  row(module: ModuleKeys, row: DumpRow, index: number, findings: RowFinding[]): void {
    const table = module.table;
    const ordinal = table.rows++;
    for (const { set, at } of module.sets) {
      const key = keyOf(row, at);
      if (key === null) continue;
      const first = set.seen.get(key);
      if (first === undefined) set.seen.set(key, ordinal);
      else if (set.unique) findings.push(this.duplicate(module, set, at, row, index, first));
    }
    for (const { fk, at } of module.fks) {
      if (fk.parent.incomplete !== null) continue;
      const key = keyOf(row, at);
      if (key === null || fk.target.seen.has(key)) continue;
      if (fk.parent.done) {
        findings.push(dangling(module.table.table, fk, shownKey(row, at, module.kinds), { file: module.file, row: index, columns: module.columns }, 1));
        continue;
      }
      const pending = fk.pending.get(key);
      if (pending) pending.count++;
      else fk.pending.set(key, { ordinal, count: 1, shown: shownKey(row, at, module.kinds) });
    }
  }

  /** All modules of a table are read: later references to it can be checked at once. */
  endTable(tableKey: string): void {
    this.tables.get(tableKey)!.done = true;
  }

  /** Some rows of a table could not be read: references to it cannot be checked. */
  markIncomplete(tableKey: string, why: string): void {
    const table = this.tables.get(tableKey)!;
    if (table.incomplete !== null) return;
    table.incomplete = why;
    for (const keys of this.tables.values()) {
      for (const fk of keys.foreignKeys) {
        if (fk.parent === table) this.skipped.push({ table: keys.table, message: `${fk.label} not checked: ${why}.` });
      }
    }
  }

  /** The foreign keys that pointed ahead, checked now that every row has been read. */
  finish(): RowFinding[] {
    const findings: RowFinding[] = [];
    for (const keys of this.tables.values()) {
      for (const fk of keys.foreignKeys) {
        if (fk.parent.incomplete !== null) continue;
        for (const [key, pending] of fk.pending) {
          if (fk.target.seen.has(key)) continue;
          const place = keys.place(pending.ordinal);
          findings.push(dangling(keys.table, fk, pending.shown, place, pending.count));
        }
        fk.pending.clear();
      }
    }
    return findings;
  }

  private duplicate(module: ModuleKeys, set: KeySet, at: readonly number[], row: DumpRow, index: number, first: number): RowFinding {
    return {
      code: "duplicate",
      message: `duplicate ${set.label}: ${shownKey(row, at, module.kinds)} is also the key of an earlier row`,
      table: module.table.table,
      column: set.columns[0]!,
      file: module.file,
      row: index,
      columns: module.columns,
      earlier: module.table.place(first),
    };
  }

  private addForeignKeys(keys: TableKeys, schema: DatabaseSchema, incomplete: ReadonlyMap<string, string>): void {
    const table = keys.table;
    const violations = recordedViolations(table);
    for (const fk of table.foreignKeys) {
      const label = `foreign key (${fk.columns.join(", ")}) → ${fk.refTable}`;
      const parentSchema = schema.tables.find((t) => t.name === fk.refTable && t.schema === (fk.refSchema ?? table.schema));
      const parent = parentSchema && this.tables.get(parentSchema.key);
      const skip = (why: string) => this.skipped.push({ table, message: `${label} not checked: ${why}.` });
      if (violations !== null) skip(`the source database already had ${violations} dangling reference(s) in this table when it was dumped`);
      else if (!parent) skip(`${fk.refTable} is not in the dump`);
      else if (!parent.table.dataDumped) skip(`the rows of ${displayName(parent.table)} were not dumped (--exclude-table-data)`);
      else if (incomplete.has(parent.table.key)) skip(incomplete.get(parent.table.key)!);
      else {
        const refColumns = fk.refColumns.length > 0 ? fk.refColumns : (parent.table.primaryKey?.columns ?? []);
        const target = parent.keySet(refColumns, false, `key (${refColumns.join(", ")})`);
        keys.foreignKeys.push({ fk, label, parent, target, pending: new Map() });
      }
    }
  }
}

function addUniqueSets(keys: TableKeys): void {
  const table = keys.table;
  if (table.rowidColumn !== null) keys.keySet([table.rowidColumn], true, `rowid (${table.rowidColumn})`);
  if (table.primaryKey) keys.keySet(table.primaryKey.columns, true, `primary key (${table.primaryKey.columns.join(", ")})`);
  for (const unique of table.uniques) keys.keySet(unique.columns, true, `unique key (${unique.columns.join(", ")})`);
  for (const index of table.indexes) {
    const columns = index.parts.map((p) => p.column);
    if (!index.unique || index.where !== null || columns.some((c) => c === undefined)) continue;
    keys.keySet(columns as string[], true, `unique index ${index.name} (${columns.join(", ")})`);
  }
}

/** How many dangling references the source had in this table when dumped, if it recorded any. */
export function recordedViolations(table: TableSchema): number | null {
  const raw = table.options.foreignKeyViolations;
  if (raw === undefined || raw === null || raw === false || raw === 0 || raw === "0" || raw === "") return null;
  return typeof raw === "number" ? raw : Number.parseInt(String(raw), 10) || 1;
}

/** The key text of a row, or null when a key column is NULL or missing (never equal in SQL). */
function keyOf(row: DumpRow, at: readonly number[]): string | null {
  if (at.length === 1) {
    const i = at[0]!;
    const v = i < 0 ? null : row[i];
    return v === null || v === undefined ? null : sqlText(v);
  }
  const parts: string[] = [];
  for (const i of at) {
    const v = i < 0 ? null : row[i];
    if (v === null || v === undefined) return null;
    parts.push(sqlText(v));
  }
  return joinKey(parts);
}

function shownKey(row: DumpRow, at: readonly number[], kinds: readonly ValueKind[]): string {
  const parts = at.map((i) => encodeValue((row[i] ?? null) as DumpValue, kinds[i] ?? "any"));
  return parts.length === 1 ? parts[0]! : `(${parts.join(", ")})`;
}

function dangling(
  table: TableSchema,
  fk: ForeignKey,
  shown: string,
  at: { readonly file: string; readonly row: number; readonly columns: readonly string[] },
  count: number,
): RowFinding {
  const more = count > 1 ? ` (${count} rows hold this value; this is the first)` : "";
  const refColumns = fk.target.columns.join(", ");
  return {
    code: "dangling",
    message: `${fk.label}: ${shown} has no row in ${displayName(fk.parent.table)} (${refColumns}) in the dump${more}.`,
    table,
    column: fk.fk.columns[0]!,
    ...at,
  };
}
