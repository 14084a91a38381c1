import Database from "better-sqlite3";
import type { ColumnSchema, DatabaseSchema, NeutralType, TableSchema } from "../../src/model/schema-model.ts";
import type { ValueKind } from "../../src/model/values.ts";

/** Table names chosen to break quoting, file names and case folding. */
export const AWKWARD_NAMES = ['he said "hi"', "with space", "x'y; --", "ünïcödé 表", "restore", "Ä", "ä", "emoji 😀"] as const;

/**
 * A SQLite database that exercises every path of the dialect: each affinity, STRICT,
 * WITHOUT ROWID, AUTOINCREMENT, rowid gaps, a column named rowid, generated columns,
 * partial and expression indexes, collations, CHECKs, foreign keys (cascade, self,
 * cycle, a dangling one), a view, a trigger that would change data if it fired during a
 * restore, user_version / application_id, storage-class mismatches and awkward values.
 */
export function buildRichDatabase(path: string): void {
  const db = new Database(path);
  try {
    // NOTE: better-sqlite3 turns foreign_keys on by default; the fixture needs a dangling reference.
    db.pragma("foreign_keys = OFF");
    db.exec(`
      PRAGMA user_version = 42;
      PRAGMA application_id = -1234567;
      CREATE TABLE affinities (id INTEGER PRIMARY KEY, i INT, t VARCHAR(20), b BLOB, r DOUBLE PRECISION, n NUMERIC(10,2), u,
        d DATETIME DEFAULT CURRENT_TIMESTAMP, flag BOOLEAN NOT NULL DEFAULT 0);
      INSERT INTO affinities (id, i, t, b, r, n, u, d, flag) VALUES
        (1, 10, 'ten', x'00ff', 1.5, '12.50', 'free', '2024-01-02 03:04:05', 1),
        (2, NULL, NULL, NULL, NULL, 7, NULL, NULL, 0),
        (3, '42', 99, 3, 2, 'abc', x'', '', 1);
      CREATE TABLE strict_t (id INTEGER PRIMARY KEY, i INT, r REAL, t TEXT, b BLOB, a ANY) STRICT;
      INSERT INTO strict_t VALUES (1, 5, 2.5, 'x', x'01', 3.0), (2, NULL, 3, 'y', NULL, 'any text'), (3, -1, NULL, NULL, x'', 7);
      CREATE TABLE wr (k TEXT NOT NULL COLLATE NOCASE, n INTEGER NOT NULL, v, PRIMARY KEY (k, n DESC)) WITHOUT ROWID;
      INSERT INTO wr VALUES ('b', 1, 'one'), ('a', 2, 2.0), ('A2', 3, NULL), ('a', 1, x'ab');
      CREATE TABLE counters (id INTEGER PRIMARY KEY AUTOINCREMENT, label TEXT COLLATE NOCASE UNIQUE);
      INSERT INTO counters (label) VALUES ('one'), ('two'), ('three');
      DELETE FROM counters WHERE id = 3;
      UPDATE sqlite_sequence SET seq = 100 WHERE name = 'counters';
      CREATE TABLE empty_auto (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);
      CREATE TABLE big_auto (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);
      INSERT INTO big_auto VALUES (9223372036854775806, 'near the end');
      UPDATE sqlite_sequence SET seq = 9223372036854775807 WHERE name = 'big_auto';
      CREATE TABLE shadowed (rowid TEXT, _rowid_ TEXT, oid TEXT);
      INSERT INTO shadowed VALUES (CAST(x'ff' AS TEXT), 'b', 'c'), ('a', CAST(x'fe41' AS TEXT), NULL), ('a', 'b', 'c');
      CREATE TABLE badkey (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
      INSERT INTO badkey VALUES (CAST(x'ff01' AS TEXT), CAST(x'80' AS TEXT)), ('ok', 'fine'), (CAST(x'fe' AS TEXT), 'x');
      CREATE TABLE gaps (a TEXT, b INTEGER);
      INSERT INTO gaps (rowid, a, b) VALUES (1, 'first', 1), (5, 'five', 5), (1000, 'thousand', NULL), (-3, 'negative', -3),
        (9223372036854775807, 'max', 0);
      CREATE TABLE weird ("rowid" TEXT, x);
      INSERT INTO weird (_rowid_, "rowid", x) VALUES (7, 'seven', 1), (3, 'three', 2.5), (42, NULL, 'x');
      CREATE TABLE gen (a INTEGER, b TEXT, c INTEGER GENERATED ALWAYS AS (a * 2) VIRTUAL, d TEXT AS (upper(b)) STORED,
        CONSTRAINT positive CHECK (a > 0), CHECK (length(b) < 100));
      INSERT INTO gen (a, b) VALUES (1, 'one'), (20, 'twenty'), (11, NULL);
      CREATE INDEX gen_partial ON gen (a) WHERE a > 10;
      CREATE INDEX gen_expr ON gen (lower(b), a DESC);
      CREATE UNIQUE INDEX gen_unique ON gen (b COLLATE NOCASE);
      CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT COLLATE NOCASE);
      INSERT INTO parent VALUES (1, 'Alice'), (2, 'bob');
      CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id) ON DELETE CASCADE ON UPDATE SET NULL,
        boss INTEGER CONSTRAINT child_boss REFERENCES child(id) DEFERRABLE INITIALLY DEFERRED);
      INSERT INTO child VALUES (1, 1, NULL), (2, 2, 1), (3, 999, 2);
      CREATE TABLE cyc_a (id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES cyc_b(id));
      CREATE TABLE cyc_b (id INTEGER PRIMARY KEY, a_id INTEGER, CONSTRAINT fk_b_a FOREIGN KEY (a_id) REFERENCES cyc_a);
      INSERT INTO cyc_a VALUES (1, 1); INSERT INTO cyc_b VALUES (1, 1);
      CREATE VIEW child_names AS SELECT c.id, p.name FROM child c JOIN parent p ON p.id = c.parent_id;
      CREATE TRIGGER child_audit AFTER INSERT ON child BEGIN UPDATE parent SET name = name || '!' WHERE id = NEW.parent_id; END;
      CREATE TRIGGER child_names_insert INSTEAD OF INSERT ON child_names BEGIN INSERT INTO parent (name) VALUES (NEW.name); END;
      CREATE TABLE mismatch (id INTEGER PRIMARY KEY, i INTEGER, u, t TEXT, r REAL);
      INSERT INTO mismatch VALUES
        (1, 'abc', 3.0, x'0102', 1),
        (2, 3.5, 3, CAST(x'ff41' AS TEXT), -0.0),
        (3, 9223372036854775807, -9223372036854775808, 'a' || char(0) || 'b', 4.9406564584124654e-324),
        (4, -9223372036854775808, -0.0, 'ok �', 1.7976931348623157e308),
        (5, NULL, 4.9406564584124654e-324, CAST(x'c3' AS TEXT), 2.2250738585072009e-308),
        (6, 1, 'text', CAST(x'f09f9880eda080' AS TEXT), -1e-310);
    `);
    AWKWARD_NAMES.forEach((name, i) => {
      const q = `"${name.replaceAll('"', '""')}"`;
      db.exec(`CREATE TABLE ${q} (${q} TEXT PRIMARY KEY, "v" INTEGER); CREATE INDEX ${`"${`idx ${name}`.replaceAll('"', '""')}"`} ON ${q} ("v");`);
      db.prepare(`INSERT INTO ${q} VALUES (?, ?)`).run(`${name} value`, BigInt(i));
    });
  } finally {
    db.close();
  }
}

/** A column of a hand-made PostgreSQL-shaped schema. */
function pgColumn(name: string, type: NeutralType, kind: ValueKind, extra: Partial<ColumnSchema> = {}): ColumnSchema {
  return { name, declaredType: type.native, type, kind, nullable: true, default: null, collation: null, generated: null, identity: null, comment: null, ...extra };
}

/**
 * What the PostgreSQL introspector gives for one table, written by hand: the SQLite
 * target must build it from the neutral model alone.
 */
export function postgresShapedSchema(): DatabaseSchema {
  const bigint: NeutralType = { name: "integer", params: [8], native: "bigint" };
  const items: TableSchema = {
    key: "public.items",
    schema: "public",
    name: "items",
    columns: [
      pgColumn("id", bigint, "integer", { nullable: false, identity: "by default" }),
      pgColumn("parent", bigint, "integer"),
      pgColumn("price", { name: "numeric", params: [10, 2], native: "numeric(10,2)" }, "text"),
      pgColumn("big", { name: "numeric", native: "numeric" }, "text"),
      pgColumn("doc", { name: "json", native: "json" }, "text"),
      pgColumn("ok", { name: "boolean", native: "boolean" }, "boolean", { default: "true" }),
      pgColumn("at", { name: "timestamptz", native: "timestamp with time zone" }, "text", { default: "now()" }),
      pgColumn("span", { name: "interval", native: "interval" }, "text"),
      pgColumn("code", { name: "text", params: [20], native: "character varying(20)" }, "text", { default: "'x'::character varying", collation: "en_US" }),
      pgColumn("raw", { name: "blob", native: "bytea" }, "blob"),
      pgColumn("tags", { name: "text", native: "text[]", arrayDims: 1 }, "text"),
      pgColumn("f", { name: "real", params: [8], native: "double precision" }, "real"),
      pgColumn("twice", bigint, "integer", { generated: { expression: "(id * 2)", stored: true } }),
    ],
    rowidColumn: null,
    primaryKey: { name: "items_pkey", columns: ["id"] },
    uniques: [{ name: "items_code_key", columns: ["code"] }],
    foreignKeys: [
      { name: "items_parent_fkey", columns: ["parent"], refSchema: "public", refTable: "items", refColumns: ["id"], onUpdate: "no action", onDelete: "set null", deferrable: "not deferrable" },
    ],
    checks: [
      { name: "code_letters", expression: "((code)::text ~ '^[a-z]+$'::text)" },
      { name: "price_positive", expression: "(price > (0)::numeric)" },
    ],
    indexes: [
      { name: "items_at_idx", unique: false, parts: [{ column: "at", desc: true }], where: null, sql: "CREATE INDEX items_at_idx ON public.items USING btree (at DESC)" },
      { name: "items_lower_idx", unique: false, parts: [{ expression: "lower((code)::text)" }], where: null, sql: "CREATE INDEX items_lower_idx ON public.items USING btree (lower((code)::text))" },
    ],
    orderBy: ["id"],
    rowCount: 0,
    dataDumped: true,
    comment: null,
    options: { relkind: "r" },
    native: { create: ["CREATE TABLE public.items (id bigint NOT NULL)"], after: [] },
  };
  return {
    engine: "postgres",
    tables: [items],
    objects: [{ kind: "view", schema: "public", name: "items_v", table: null, sql: "CREATE VIEW public.items_v AS SELECT items.id FROM public.items" }],
    types: [],
    sequences: [],
    schemas: ["public"],
    settings: { encoding: "UTF8" },
  };
}
