import { GenDumpError, databaseError } from "../../errors.ts";
import { type DatabaseSchema, type TableSchema, displayName } from "../../model/schema-model.ts";
import { type DumpRow, type DumpValue, RawText } from "../../model/values.ts";
import type { TargetConnection, TargetState } from "../dialect.ts";
import { countForeignKeyViolations, isInternalName, readMaster } from "./sqlite-catalog.ts";
import type { SqliteDatabase, SqliteStatement } from "./sqlite-connection.ts";
import { createTableFromModel, portableCreateTables, portableIndexes } from "./sqlite-portable-ddl.ts";
import { quoteIdent } from "./sqlite-sql.ts";

/** Encodings `PRAGMA encoding` reports and accepts. @see https://www.sqlite.org/pragma.html#pragma_encoding */
const ENCODINGS = new Set(["UTF-8", "UTF-16le", "UTF-16be"]);
/** Drop order for `clear`: what depends on a table goes first. */
const DROP_ORDER = ["trigger", "view", "index", "table"] as const;

/**
 * A SQLite file being restored, inside one IMMEDIATE transaction with foreign key
 * enforcement off (references are checked once, after the load, against what the
 * source already had).
 */
export class SqliteTarget implements TargetConnection {
  readonly engine = "sqlite";
  /** What a restore from another engine left out (CHECKs, views, expression indexes...). */
  readonly warnings: string[] = [];
  #foreignKeysBefore: number | null = null;
  /** The dump comes from another engine (PostgreSQL): some of its values SQLite cannot hold. */
  #fromOtherEngine = false;
  readonly #inserts = new Map<string, Map<string, SqliteStatement>>();

  constructor(private readonly db: SqliteDatabase) {}

  async inspect(): Promise<TargetState> {
    const user = readMaster(this.db).filter((m) => !isInternalName(m.name));
    const tables = user
      .filter((m) => m.type === "table")
      .map((m) => ({ schema: null, name: m.name, rows: this.#countRows(m.name) }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { tables, empty: user.length === 0 };
  }

  async begin(): Promise<void> {
    // NOTE: PRAGMA foreign_keys is a no-op inside a transaction, so it goes first.
    // https://www.sqlite.org/pragma.html#pragma_foreign_keys
    this.#foreignKeysBefore = Number(this.db.prepare("PRAGMA foreign_keys").pluck().get());
    this.db.exec("PRAGMA foreign_keys = OFF");
    this.#exec("BEGIN IMMEDIATE", "Starting the restore transaction");
  }

  async clear(_schema: DatabaseSchema): Promise<void> {
    const user = readMaster(this.db).filter((m) => !isInternalName(m.name) && m.sql !== null);
    for (const kind of DROP_ORDER) {
      for (const m of user.filter((o) => o.type === kind)) {
        this.#exec(`DROP ${kind.toUpperCase()} IF EXISTS ${quoteIdent(m.name)}`, `Dropping ${kind} ${JSON.stringify(m.name)}`);
      }
    }
  }

  async createBeforeData(schema: DatabaseSchema): Promise<void> {
    this.#inserts.clear();
    if (schema.engine === "sqlite") {
      this.#setEncoding(schema.settings.encoding);
      for (const table of schema.tables) {
        // A table a migration step reshaped has no native DDL: it is built from the model.
        const create = table.native.create.length > 0 ? table.native.create : [createTableFromModel(table, this.warnings, true)];
        for (const sql of create) this.#exec(sql, `Creating table ${JSON.stringify(table.name)}`, table);
      }
      return;
    }
    this.#fromOtherEngine = true;
    rejectDuplicateNames(schema);
    const ddl = portableCreateTables(schema);
    this.warnings.push(...ddl.warnings);
    ddl.statements.forEach((sql, i) => this.#exec(sql, `Creating table ${JSON.stringify(schema.tables[i]!.name)}`, schema.tables[i]));
  }

  async insertRows(table: TableSchema, columns: readonly string[], rows: readonly DumpRow[]): Promise<void> {
    if (this.#fromOtherEngine) rejectUnrepresentable(table, columns, rows);
    const variants = this.#variantsFor(table, columns);
    const block = blockRows(columns.length);
    let params: unknown[] = [];
    for (let i = 0; i < rows.length; ) {
      // NOTE: one statement per `block` rows (none RawText) costs a fraction of one call
      // per row; if it fails, its rows are undone and run one by one to name the row.
      if (block > 1 && i + block <= rows.length && plainRows(rows, i, block)) {
        const statement = this.#statement(variants, table, columns, "", block);
        params.length = 0;
        for (let r = i; r < i + block; r++) for (const value of rows[r]!) params.push(bindable(value));
        try {
          statement.run(params);
          i += block;
          continue;
        } catch {
          params = [];
        }
      }
      const end = Math.min(rows.length, i + Math.max(1, block));
      for (; i < end; i++) this.#insertOne(variants, table, columns, rows, i);
    }
  }

  #insertOne(variants: Map<string, SqliteStatement>, table: TableSchema, columns: readonly string[], rows: readonly DumpRow[], i: number): void {
    const row = rows[i]!;
    const mask = row.some((v) => v instanceof RawText) ? row.map((v) => (v instanceof RawText ? "1" : "0")).join("") : "";
    try {
      this.#statement(variants, table, columns, mask, 1).run(...row.map(bindable));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new GenDumpError(
        "RESTORE",
        `Table ${JSON.stringify(table.name)} rejected row ${i} of the batch (row ${i + 1} of ${rows.length}): ${reason}.`,
        { table: displayName(table), row: i },
        { cause: error },
      );
    }
  }

  /** The INSERT of `count` rows whose RawText columns `mask` marks, prepared once. */
  #statement(variants: Map<string, SqliteStatement>, table: TableSchema, columns: readonly string[], mask: string, count: number): SqliteStatement {
    const key = `${count}:${mask}`;
    let statement = variants.get(key);
    if (statement === undefined) {
      statement = this.db.prepare(insertSql(table.name, columns, mask, count));
      variants.set(key, statement);
    }
    return statement;
  }

  async createAfterData(schema: DatabaseSchema): Promise<void> {
    if (schema.engine !== "sqlite") {
      // NOTE: views and triggers of another engine are in its SQL dialect: left out.
      const ddl = portableIndexes(schema);
      this.warnings.push(...ddl.warnings);
      for (const sql of ddl.statements) this.#exec(sql, "Creating an index");
      this.#compareSequences(schema);
      return;
    }
    for (const table of schema.tables) for (const sql of table.native.after) this.#exec(sql, `Finishing table ${JSON.stringify(table.name)}`, table);
    const reshaped = portableIndexes({ ...schema, tables: schema.tables.filter((t) => t.native.create.length === 0) });
    this.warnings.push(...reshaped.warnings);
    for (const sql of reshaped.statements) this.#exec(sql, "Creating an index");
    for (const object of schema.objects) this.#exec(object.sql, `Creating ${object.kind} ${JSON.stringify(object.name)}`);
    this.#restoreSequences(schema.tables);
    for (const name of ["user_version", "application_id"]) this.#setIntegerPragma(name, schema.settings[name]);
    this.#checkForeignKeys(schema.tables);
  }

  async savepoint(name: string): Promise<void> {
    this.#exec(`SAVEPOINT ${quoteIdent(name)}`, "Creating a savepoint");
  }

  async releaseSavepoint(name: string): Promise<void> {
    this.#exec(`RELEASE SAVEPOINT ${quoteIdent(name)}`, "Releasing a savepoint");
  }

  async rollbackToSavepoint(name: string): Promise<void> {
    this.#exec(`ROLLBACK TO SAVEPOINT ${quoteIdent(name)}; RELEASE SAVEPOINT ${quoteIdent(name)}`, "Rolling back to a savepoint");
  }

  async truncate(tables: readonly TableSchema[]): Promise<void> {
    for (const table of tables) this.#exec(`DELETE FROM ${quoteIdent(table.name)}`, `Emptying table ${JSON.stringify(table.name)}`, table);
  }

  async execute(sql: string, params: readonly unknown[] = []): Promise<void> {
    try {
      this.db.prepare(sql).run(...params);
    } catch (error) {
      throw databaseError("RESTORE", "A statement of a migration hook failed", error, { sql });
    }
  }

  async query(sql: string, params: readonly unknown[] = []): Promise<Record<string, unknown>[]> {
    try {
      return this.db.prepare(sql).all(...params) as Record<string, unknown>[];
    } catch (error) {
      throw databaseError("RESTORE", "A query of a migration hook failed", error, { sql });
    }
  }

  async commit(): Promise<void> {
    this.#exec("COMMIT", "Committing the restore");
    this.#restoreForeignKeys();
  }

  async rollback(): Promise<void> {
    if (this.db.inTransaction) this.db.exec("ROLLBACK");
    this.#restoreForeignKeys();
  }

  async close(): Promise<void> {
    try {
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      this.#restoreForeignKeys();
    } finally {
      this.db.close();
    }
  }

  #exec(sql: string, what: string, table?: TableSchema): void {
    try {
      this.db.exec(sql);
    } catch (error) {
      throw databaseError("RESTORE", `${what} failed`, error, { ...(table ? { table: displayName(table) } : {}), sql });
    }
  }

  #countRows(name: string): number {
    try {
      return Number(this.db.prepare(`SELECT count(*) FROM ${quoteIdent(name)}`).pluck().get());
    } catch {
      return 0; // a virtual table whose module is not loaded: it still exists
    }
  }

  #variantsFor(table: TableSchema, columns: readonly string[]): Map<string, SqliteStatement> {
    const key = JSON.stringify([table.name, columns]);
    let variants = this.#inserts.get(key);
    if (variants === undefined) {
      variants = new Map();
      this.#inserts.set(key, variants);
    }
    return variants;
  }

  /**
   * NOTE: only a database that never held anything can take another encoding; SQLite
   * ignores the pragma otherwise (a cleared file keeps its own encoding, and text is
   * converted). https://www.sqlite.org/pragma.html#pragma_encoding
   */
  #setEncoding(encoding: string | number | undefined): void {
    if (typeof encoding !== "string" || !ENCODINGS.has(encoding)) return;
    if (Number(this.db.prepare("SELECT count(*) FROM main.sqlite_master").pluck().get()) !== 0) return;
    this.#exec(`PRAGMA encoding = '${encoding}'`, "Setting the encoding");
  }

  #setIntegerPragma(name: string, value: string | number | undefined): void {
    if (typeof value !== "number" || !Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 32) return;
    this.#exec(`PRAGMA ${name} = ${value}`, `Setting ${name}`);
  }

  /**
   * Another engine's identity sequence that had moved past its table's largest key: SQLite
   * continues after the largest key (its rowid), so the next id differs; said in a warning.
   */
  #compareSequences(schema: DatabaseSchema): void {
    for (const seq of schema.sequences) {
      const table = schema.tables.find((t) => t.key === seq.ownedBy?.table);
      const column = table?.columns.find((c) => c.name === seq.ownedBy?.column && c.identity !== null);
      if (table === undefined || column === undefined || seq.lastValue === null || !/^-?\d+$/.test(seq.lastValue)) continue;
      const next = BigInt(seq.lastValue) + (seq.isCalled ? 1n : 0n);
      const max = this.db.prepare(`SELECT max(${quoteIdent(column.name)}) FROM ${quoteIdent(table.name)}`).pluck().safeIntegers().get() as bigint | null;
      const sqliteNext = (max ?? 0n) + 1n;
      if (next > sqliteNext) {
        this.warnings.push(`${displayName(table)}.${column.name}: the source's next id was ${next}; SQLite assigns ${sqliteNext} next (it continues after the largest key).`);
      }
    }
  }

  /** Make each AUTOINCREMENT counter what the source had (loading the rows moved it). */
  #restoreSequences(tables: readonly TableSchema[]): void {
    const counters = tables.filter((t) => "autoincrement" in t.options);
    const exists = this.db.prepare("SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'").get();
    if (counters.length === 0 || exists === undefined) return;
    const remove = this.db.prepare("DELETE FROM main.sqlite_sequence WHERE name = ?");
    const insert = this.db.prepare("INSERT INTO main.sqlite_sequence (name, seq) VALUES (?, ?)");
    for (const table of counters) {
      const seq = table.options.autoincrement;
      remove.run(table.name);
      if (seq !== null && seq !== undefined) insert.run(table.name, typeof seq === "string" && /^-?\d+$/.test(seq) ? BigInt(seq) : typeof seq === "number" ? BigInt(Math.trunc(seq)) : seq);
    }
  }

  #checkForeignKeys(tables: readonly TableSchema[]): void {
    for (const table of tables) {
      const before = table.options.foreignKeyViolations;
      if (typeof before !== "number") continue;
      const after = countForeignKeyViolations(this.db, table.name);
      if (after !== null && after > before) {
        throw new GenDumpError(
          "RESTORE",
          `After loading, ${after} rows of table ${JSON.stringify(table.name)} reference rows that do not exist (the source database had ${before}). ` +
            "Check its data modules and those of the tables it references, and any transform that changed their keys.",
          { table: displayName(table) },
        );
      }
    }
  }

  #restoreForeignKeys(): void {
    if (this.#foreignKeysBefore === null) return;
    this.db.exec(`PRAGMA foreign_keys = ${this.#foreignKeysBefore ? "ON" : "OFF"}`);
    this.#foreignKeysBefore = null;
  }
}

/** `INSERT INTO "t" ("a", "b") VALUES (?, CAST(? AS TEXT))`: the cast where `mask` has a 1. */
function insertSql(table: string, columns: readonly string[], mask: string, count: number): string {
  // NOTE: RawText is bound as a BLOB (its exact bytes) and cast: CAST(blob AS TEXT)
  // keeps the bytes as they are, invalid UTF-8 included (in a UTF-8 database).
  // https://www.sqlite.org/lang_expr.html#castexpr
  const values = `(${columns.map((_, i) => (mask[i] === "1" ? "CAST(? AS TEXT)" : "?")).join(", ")})`;
  const list = columns.length === 0 ? "DEFAULT VALUES" : `(${columns.map(quoteIdent).join(", ")}) VALUES ${Array(count).fill(values).join(", ")}`;
  return `INSERT INTO ${quoteIdent(table)} ${list}`;
}

/**
 * Rows per multi-row INSERT: as many as keep the statement within 999 parameters (the
 * lowest limit any SQLite build has), at most 64; 1 for a table without columns.
 * @see https://www.sqlite.org/limits.html#max_variable_number
 */
function blockRows(columns: number): number {
  return columns === 0 ? 1 : Math.max(1, Math.min(64, Math.floor(999 / columns)));
}

/** Whether `count` rows from `start` hold no RawText (they share the plain INSERT). */
function plainRows(rows: readonly DumpRow[], start: number, count: number): boolean {
  for (let r = start; r < start + count; r++) for (const value of rows[r]!) if (value instanceof RawText) return false;
  return true;
}

/**
 * What better-sqlite3 binds for a neutral value. NOTE: it binds every JS number as a
 * REAL (3 stays 3.0) and every bigint as an INTEGER, so the storage class survives; it
 * cannot bind booleans, which become INTEGER 1 / 0.
 */
function bindable(value: DumpValue): unknown {
  if (typeof value === "boolean") return value ? 1n : 0n;
  if (value instanceof RawText) return value.bytes;
  return value;
}

/** Tables of another engine lose their schema; two with one name cannot both exist. */
function rejectDuplicateNames(schema: DatabaseSchema): void {
  const seen = new Map<string, TableSchema>();
  for (const table of schema.tables) {
    const key = table.name.replace(/[A-Z]/g, (c) => c.toLowerCase());
    const other = seen.get(key);
    if (other !== undefined) {
      throw new GenDumpError("UNSUPPORTED", `Tables ${displayName(other)} and ${displayName(table)} would both be ${JSON.stringify(table.name)} in SQLite, which has no schemas. Restore one of them (exclude the other with -T when dumping).`, { table: displayName(table) });
    }
    seen.set(key, table);
  }
}

/**
 * Values of another engine's dump SQLite cannot store: a NaN REAL becomes NULL and a -0
 * REAL becomes 0. An error naming table, column and row, never a silent change.
 * @see https://www.sqlite.org/floatingpoint.html
 */
function rejectUnrepresentable(table: TableSchema, columns: readonly string[], rows: readonly DumpRow[]): void {
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    for (let c = 0; c < row.length; c++) {
      const value = row[c];
      if (typeof value !== "number" || !(Number.isNaN(value) || Object.is(value, -0))) continue;
      const name = displayName(table);
      const column = columns[c]!;
      throw new GenDumpError(
        "RESTORE",
        `Loading table ${name} failed at row ${r} (column ${column}): SQLite cannot store the floating-point value ${Number.isNaN(value) ? "NaN (it would become NULL)" : "-0 (it would become 0)"}. ` +
          "Change it in the source, or convert it with a transform in restore.ts.",
        { table: name, column, row: r },
      );
    }
  }
}
