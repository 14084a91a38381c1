import Database from "better-sqlite3";

/**
 * Everything about a SQLite database that a restore must bring back, as comparable
 * data: sqlite_master, every value with its storage class (typeof + quote), rowids,
 * sqlite_sequence, user_version and application_id.
 */
export function sqliteFacts(path: string): Record<string, unknown> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const master = db
      .prepare("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
      .all();
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all() as string[];
    // A Map: table names such as `__proto__` must stay data.
    const data = new Map<string, unknown>();
    for (const table of tables) {
      const q = `"${table.replaceAll('"', '""')}"`;
      const cols = (db.prepare(`PRAGMA table_xinfo(${q})`).all() as { name: string; hidden: number }[]).filter((c) => c.hidden === 0);
      const withoutRowid = /WITHOUT\s+ROWID\s*$/i.test((db.prepare("SELECT sql FROM sqlite_master WHERE name = ?").pluck().get(table) as string) ?? "");
      const parts = cols.map((c) => `typeof("${c.name.replaceAll('"', '""')}") || ':' || quote("${c.name.replaceAll('"', '""')}")`);
      const rowid = withoutRowid ? "" : "rowid || ' ' || ";
      const order = withoutRowid ? "1" : "rowid";
      const select = parts.length ? parts.join(" || ' | ' || ") : "''";
      data.set(table, db.prepare(`SELECT ${rowid}${select} FROM ${q} ORDER BY ${order}`).pluck().all());
    }
    const hasSeq = tables.length >= 0 && db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").get();
    return {
      master,
      data,
      sequence: hasSeq ? db.prepare("SELECT name, seq FROM sqlite_sequence ORDER BY name").all() : [],
      userVersion: db.pragma("user_version", { simple: true }),
      applicationId: db.pragma("application_id", { simple: true }),
    };
  } finally {
    db.close();
  }
}
