import Database from "better-sqlite3";

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Everything a SQLite restore must bring back, as comparable data. Stricter than
 * `quote()`: text and blobs compare by their bytes (`hex`, so NUL and invalid UTF-8
 * count), numbers by value with -0 apart from 0, and every value with its `typeof`.
 */
export function sqliteState(path: string): Record<string, unknown> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const master = (db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master").all() as Record<string, unknown>[])
      .map((row) => JSON.stringify(row))
      .sort();
    const tables = db.prepare("SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").all() as { name: string; wr: number }[];
    // A Map: table names such as `__proto__` must stay data.
    const data = new Map<string, unknown>();
    for (const { name, wr } of tables) data.set(name, tableState(db, name, wr === 1));
    const hasSeq = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").get() !== undefined;
    return {
      master,
      data,
      sequence: hasSeq ? db.prepare("SELECT name, seq FROM sqlite_sequence ORDER BY name").safeIntegers(true).all() : [],
      userVersion: db.pragma("user_version", { simple: true }),
      applicationId: db.pragma("application_id", { simple: true }),
      encoding: db.pragma("encoding", { simple: true }),
    };
  } finally {
    db.close();
  }
}

function tableState(db: Database.Database, table: string, withoutRowid: boolean): unknown[] {
  const columns = (db.prepare("SELECT name, pk, hidden FROM pragma_table_xinfo(?)").all(table) as { name: string; pk: number; hidden: number }[]);
  const names = columns.map((c) => c.name.toLowerCase());
  const rowid = withoutRowid ? null : ["rowid", "_rowid_", "oid"].find((r) => !names.includes(r)) ?? null;
  const parts = columns.map((c) => `typeof(${q(c.name)}), CASE WHEN typeof(${q(c.name)}) IN ('text', 'blob') THEN hex(${q(c.name)}) ELSE ${q(c.name)} END`);
  const pk = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => q(c.name));
  const order = rowid !== null ? rowid : pk.length > 0 ? pk.join(", ") : columns.map((c) => q(c.name)).join(", ");
  const select = `SELECT ${rowid === null ? "" : `${rowid}, `}${parts.join(", ")} FROM ${q(table)} ORDER BY ${order}`;
  return db.prepare(select).raw(true).safeIntegers(true).all();
}
