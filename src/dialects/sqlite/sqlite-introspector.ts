import { GenDumpError } from "../../errors.ts";
import type {
  ColumnSchema,
  ConstraintSchema,
  DatabaseSchema,
  ForeignKeyAction,
  ForeignKeySchema,
  IndexSchema,
  SchemaObject,
  TableSchema,
} from "../../model/schema-model.ts";
import { tableFileStem } from "../../planner/file-names.ts";
import {
  type ForeignKeyListRow,
  type IndexListRow,
  type MasterRow,
  type TableListRow,
  type TableXInfoRow,
  countForeignKeyViolations,
  isInternalName,
  readForeignKeys,
  readIndexKeys,
  readIndexList,
  readMaster,
  readSequence,
  readSettings,
  readTableList,
  readTableXInfo,
} from "./sqlite-catalog.ts";
import type { TableSelection } from "../dialect.ts";
import type { SqliteDatabase } from "./sqlite-connection.ts";
import { SqliteSelection } from "./sqlite-selection.ts";
import { type ParsedTable, parseCreateIndex, parseCreateTable } from "./sqlite-ddl-parser.ts";
import { asciiLower, isWord, quoteIdent, sameName, tokenize } from "./sqlite-sql.ts";
import { kindOf, neutralTypeOf } from "./sqlite-types.ts";

/** Names under which SQLite lets a rowid table's rowid be selected, in preference order. */
const ROWID_NAMES = ["rowid", "_rowid_", "oid"] as const;

/**
 * Read the schema of the main database (in the caller's read transaction): every
 * selected user table sorted by name, and the indexes, views and triggers in
 * `sqlite_master` order, which is an order that recreates them.
 */
export function introspectDatabase(db: SqliteDatabase, tableSelection?: TableSelection): DatabaseSchema {
  const selection = new SqliteSelection(tableSelection);
  const all = readMaster(db);
  const relations = selection.selectedRelations(all);
  const master = all.filter((m) => selection.objectSelected(m, relations));
  rejectVirtualTables(master);
  const kinds = new Map<string, TableListRow>(readTableList(db).map((row) => [row.name, row]));
  const names = master
    .filter((m) => m.type === "table" && !isInternalName(m.name) && (kinds.get(m.name)?.type ?? "table") === "table")
    .map((m) => m.name)
    .sort(compareText);
  const catalog = new Catalog(db, all);
  const tables = withDataSelection(names.map((name) => tableSchemaOf(catalog, name, kinds.get(name))), selection);
  // Automatic indexes have no SQL: their constraints are in the CREATE TABLE text.
  const objects: SchemaObject[] = master
    .filter((m) => m.type !== "table" && m.sql !== null && !isInternalName(m.name))
    .map((m) => ({ kind: m.type as SchemaObject["kind"], schema: null, name: m.name, table: m.type === "view" ? null : m.tableName, sql: m.sql! }));
  return { engine: "sqlite", tables, objects, types: [], sequences: [], schemas: [], settings: readSettings(db) };
}

/**
 * Mark the tables whose rows --exclude-table-data leaves out. A table referencing one of
 * them will dangle after a restore by request, so its foreign keys are not checked then.
 */
function withDataSelection(tables: readonly TableSchema[], selection: SqliteSelection): TableSchema[] {
  const empty = new Set(tables.filter((t) => !selection.dataSelected(t.name)).map((t) => asciiLower(t.name)));
  return tables.map((t) => {
    const dangles = t.foreignKeys.some((fk) => empty.has(asciiLower(fk.refTable)));
    return { ...t, dataDumped: !empty.has(asciiLower(t.name)), options: dangles ? { ...t.options, foreignKeyViolations: null } : t.options };
  });
}

function rejectVirtualTables(master: readonly MasterRow[]): void {
  for (const m of master) {
    const tokens = m.type === "table" && m.sql !== null ? tokenize(m.sql.slice(0, 100)) : [];
    if (isWord(tokens[0], "CREATE") && isWord(tokens[1], "VIRTUAL")) {
      throw new GenDumpError(
        "UNSUPPORTED",
        `Table ${JSON.stringify(m.name)} is a virtual table (${m.sql!.slice(0, 60).replace(/\s+/g, " ")}...); gen-dump cannot dump virtual tables yet. Leave it out with --exclude-table '"${m.name.replaceAll('"', '""')}"'.`,
        { table: m.name },
      );
    }
  }
}

/** Per-table catalog rows, read once. */
class Catalog {
  readonly #columns = new Map<string, TableXInfoRow[]>();
  readonly #master: ReadonlyMap<string, MasterRow>;
  constructor(
    readonly db: SqliteDatabase,
    master: readonly MasterRow[],
  ) {
    this.#master = new Map(master.map((m) => [m.name, m]));
  }

  sqlOf(name: string): string {
    return this.#master.get(name)?.sql ?? "";
  }

  /** The real name of a table named in a REFERENCES clause (SQLite folds ASCII case). */
  tableNamed(name: string): string | null {
    if (this.#master.get(name)?.type === "table") return name;
    for (const m of this.#master.values()) if (m.type === "table" && sameName(m.name, name)) return m.name;
    return null;
  }

  columnsOf(table: string): TableXInfoRow[] {
    let rows = this.#columns.get(table);
    if (rows === undefined) {
      rows = readTableXInfo(this.db, table);
      this.#columns.set(table, rows);
    }
    return rows;
  }
}

function tableSchemaOf(catalog: Catalog, name: string, list: TableListRow | undefined): TableSchema {
  const { db } = catalog;
  const sql = catalog.sqlOf(name);
  const xinfo = catalog.columnsOf(name);
  const parsed = parseCreateTable(sql);
  const withoutRowid = list?.wr === 1;
  const indexList = readIndexList(db, name);
  const pkColumns = xinfo.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
  // NOTE: a single-column INTEGER PRIMARY KEY is the rowid itself and has no index;
  // any other primary key (INTEGER PRIMARY KEY DESC too) gets an automatic "pk" index.
  // https://www.sqlite.org/lang_createtable.html#rowid
  const alias = !withoutRowid && pkColumns.length === 1 && !indexList.some((i) => i.origin === "pk") ? pkColumns[0]! : null;
  const columns = xinfo.filter((c) => c.hidden !== 1).map((c) => columnOf(c, parsed, list?.strict === 1, withoutRowid || c.name === alias, c.name === alias));
  const rowidColumn = withoutRowid || alias !== null ? null : (ROWID_NAMES.find((r) => !columns.some((c) => sameName(c.name, r))) ?? null);
  const dataNames = columns.filter((c) => c.generated === null).map((c) => c.name);
  const options: Record<string, string | number | boolean | null> = { withoutRowid, strict: list?.strict === 1 };
  if (parsed.autoincrement) options.autoincrement = readSequence(db, name);
  options.foreignKeyViolations = countForeignKeyViolations(db, name);
  return {
    key: tableFileStem(null, name),
    schema: null,
    name,
    columns,
    rowidColumn,
    primaryKey: pkColumns.length === 0 ? null : { name: parsed.primaryKeyName, columns: pkColumns },
    uniques: uniquesOf(db, indexList, parsed),
    foreignKeys: foreignKeysOf(catalog, readForeignKeys(db, name), parsed),
    checks: parsed.checks,
    indexes: indexesOf(catalog, indexList),
    orderBy: withoutRowid ? pkColumns : alias !== null ? [alias] : rowidColumn !== null ? [rowidColumn] : dataNames,
    rowCount: Number(db.prepare(`SELECT count(*) FROM ${quoteIdent(name)}`).pluck().get()),
    dataDumped: true,
    comment: null,
    options,
    native: { create: [sql], after: [] },
  };
}

/** `rowid`: the column is the rowid itself (INTEGER PRIMARY KEY), which SQLite assigns when a row leaves it out. */
function columnOf(c: TableXInfoRow, parsed: ParsedTable, strict: boolean, keyNotNull: boolean, rowid: boolean): ColumnSchema {
  const facts = parsed.columns.find((p) => sameName(p.name, c.name));
  const generated = c.hidden === 2 || c.hidden === 3 ? { expression: facts?.generated ?? facts?.definition ?? "", stored: c.hidden === 3 } : null;
  return {
    name: c.name,
    declaredType: c.type,
    type: neutralTypeOf(c.type, strict),
    kind: kindOf(c.type, strict),
    nullable: c.notNull === 0 && !(c.pk > 0 && keyNotNull),
    default: c.defaultValue,
    collation: facts?.collation ?? null,
    generated,
    identity: rowid ? "by default" : null,
    comment: null,
  };
}

/** UNIQUE constraints (their automatic indexes), named from the SQL when it names them. */
function uniquesOf(db: SqliteDatabase, indexList: readonly IndexListRow[], parsed: ParsedTable): ConstraintSchema[] {
  const named = [...parsed.uniques];
  return indexList
    .filter((i) => i.origin === "u")
    .reverse() // NOTE: index_list lists the most recently created index first.
    .map((i) => {
      const columns = readIndexKeys(db, i.name).map((k) => k.name ?? "rowid");
      const at = named.findIndex((u) => u.columns.length === columns.length && u.columns.every((c, n) => sameName(c, columns[n]!)));
      const name = at < 0 ? null : named.splice(at, 1)[0]!.name;
      return { name, columns };
    });
}

function indexesOf(catalog: Catalog, indexList: readonly IndexListRow[]): IndexSchema[] {
  return indexList
    .filter((i) => i.origin === "c")
    .map((i) => {
      const sql = catalog.sqlOf(i.name);
      const parsed = parseCreateIndex(sql);
      const parts = readIndexKeys(catalog.db, i.name).map((k, n) => ({
        ...(k.cid === -2 ? { expression: parsed.parts[n] ?? "" } : { column: k.name ?? "rowid" }),
        ...(k.desc === 1 ? { desc: true } : {}),
      }));
      return { name: i.name, unique: i.unique === 1, parts, where: i.partial === 1 ? parsed.where : null, sql };
    })
    .sort((a, b) => compareText(a.name, b.name));
}

function foreignKeysOf(catalog: Catalog, rows: readonly ForeignKeyListRow[], parsed: ParsedTable): ForeignKeySchema[] {
  const unmatched = [...parsed.foreignKeys];
  const ids = [...new Set(rows.map((r) => r.id))].sort((a, b) => b - a); // declaration order
  return ids.map((id) => {
    const group = rows.filter((r) => r.id === id).sort((a, b) => a.seq - b.seq);
    const first = group[0]!;
    const refTable = catalog.tableNamed(first.table);
    const parent = refTable === null ? [] : catalog.columnsOf(refTable);
    const parentKey = parent.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    const refColumns = group.map((r, n) => (r.to === null ? (parentKey[n] ?? "") : (parent.find((c) => sameName(c.name, r.to!))?.name ?? r.to)));
    const columns = group.map((r) => r.from);
    const at = unmatched.findIndex((f) => sameName(f.table, first.table) && f.columns.length === columns.length && f.columns.every((c, n) => sameName(c, columns[n]!)));
    const facts = at < 0 ? null : unmatched.splice(at, 1)[0]!;
    return {
      name: facts?.name ?? null,
      columns,
      refSchema: null,
      refTable: refTable ?? first.table,
      refColumns,
      onUpdate: actionOf(first.onUpdate),
      onDelete: actionOf(first.onDelete),
      deferrable: facts?.deferrable ?? "not deferrable",
    };
  });
}

const ACTIONS: readonly ForeignKeyAction[] = ["no action", "restrict", "cascade", "set null", "set default"];

function actionOf(text: string): ForeignKeyAction {
  const action = asciiLower(text) as ForeignKeyAction;
  return ACTIONS.includes(action) ? action : "no action";
}

/** Code-point order, never locale order. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
