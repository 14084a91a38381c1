import Database from "better-sqlite3";
import pg from "pg";

/**
 * The benchmark database: `orders` holds N rows (the largest table), `customers` N/10.
 * Types: bigint, integer, numeric, double, boolean, timestamptz, text with quotes,
 * backslashes, tabs, newlines and non-ASCII, json, bytea; `customers.referrer_id` is a
 * self-reference and customers ↔ orders is a foreign-key cycle. Rows are generated
 * deterministically by the database itself (generate_series / a recursive CTE).
 */
export interface BenchShape {
  readonly orders: number;
  readonly customers: number;
}

export function shapeOf(rows: number): BenchShape {
  return { orders: rows, customers: Math.max(1, Math.floor(rows / 10)) };
}

export function totalRows(shape: BenchShape): number {
  return shape.orders + shape.customers;
}

const PG_SCHEMA = `
CREATE TABLE customers (
  id bigint PRIMARY KEY,
  name text NOT NULL,
  referrer_id bigint REFERENCES customers (id),
  favorite_order_id bigint,
  created_at timestamptz NOT NULL,
  profile jsonb
);
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id),
  total numeric(12, 2) NOT NULL,
  quantity integer NOT NULL,
  weight double precision,
  paid boolean NOT NULL,
  placed_at timestamptz NOT NULL,
  note text,
  payload bytea
);
ALTER TABLE customers ADD CONSTRAINT customers_favorite_order_fk FOREIGN KEY (favorite_order_id) REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX orders_customer_idx ON orders (customer_id);
`;

/** Build the benchmark database in a fresh PostgreSQL database at `url`. */
export async function buildPostgres(url: string, shape: BenchShape): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query(PG_SCHEMA);
    await client.query(
      `INSERT INTO customers (id, name, referrer_id, favorite_order_id, created_at, profile)
       SELECT i, 'Cust "' || i || E'" O''Brien \\\\ tab\\there ü☃ ' || md5(i::text),
              CASE WHEN i > 1 AND i % 3 <> 0 THEN i / 2 END,
              NULL,
              timestamptz '2020-01-01 00:00:00+00' + i * interval '37 seconds',
              CASE WHEN i % 5 <> 0 THEN jsonb_build_object('tier', i % 4, 'tags', jsonb_build_array('a"b', E'c\\\\d', 'é'), 'score', (i % 1000) / 7.0) END
       FROM generate_series(1, $1::bigint) AS i`,
      [shape.customers],
    );
    await client.query(
      `INSERT INTO orders (id, customer_id, total, quantity, weight, paid, placed_at, note, payload)
       SELECT i, 1 + (i * 7919) % $2::bigint, ((i * 104729) % 10000000) / 100.0, (i % 97)::int,
              CASE WHEN i % 11 <> 0 THEN (i % 1000) / 3.0 END, i % 2 = 0,
              timestamptz '2021-06-01 12:00:00.123456+00' + i * interval '1.5 seconds',
              CASE WHEN i % 4 = 0 THEN NULL WHEN i % 4 = 1 THEN E'line one\\nline "two" it''s \\\\ done' ELSE 'note ' || i || ' ✓ naïve' END,
              CASE WHEN i % 3 = 0 THEN NULL ELSE decode(md5(i::text), 'hex') END
       FROM generate_series(1, $1::bigint) AS i`,
      [shape.orders, shape.customers],
    );
    await client.query("UPDATE customers SET favorite_order_id = id * 10 WHERE id % 2 = 0 AND id * 10 <= $1", [shape.orders]);
    await client.query("COMMIT");
    await client.query("VACUUM ANALYZE");
  } finally {
    await client.end();
  }
}

const SQLITE_SCHEMA = `
PRAGMA foreign_keys = OFF;
CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  referrer_id INTEGER REFERENCES customers (id),
  favorite_order_id INTEGER REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED,
  created_at TEXT NOT NULL,
  profile TEXT
);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers (id),
  total NUMERIC NOT NULL,
  big INTEGER NOT NULL,
  weight REAL,
  paid BOOLEAN NOT NULL,
  placed_at TEXT NOT NULL,
  note TEXT,
  payload BLOB
);
CREATE INDEX orders_customer_idx ON orders (customer_id);
`;

/** Build the benchmark database as a SQLite file at `path` (which must not exist). */
export function buildSqlite(path: string, shape: BenchShape): void {
  const db = new Database(path);
  try {
    db.pragma("journal_mode = WAL");
    db.exec(SQLITE_SCHEMA);
    db.exec("BEGIN");
    db.prepare(
      `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
       INSERT INTO customers SELECT i, 'Cust "' || i || '" O''Brien \\ tab' || char(9) || 'here ü☃ ' || hex(i * 2654435761),
         CASE WHEN i > 1 AND i % 3 <> 0 THEN i / 2 END,
         CASE WHEN i % 2 = 0 AND i * 10 <= ? THEN i * 10 END,
         strftime('%Y-%m-%dT%H:%M:%SZ', 1577836800 + i * 37, 'unixepoch'),
         CASE WHEN i % 5 <> 0 THEN json_object('tier', i % 4, 'tags', json_array('a"b', 'c\\d', 'é'), 'score', (i % 1000) / 7.0) END
       FROM s`,
    ).run(shape.customers, shape.orders);
    db.prepare(
      `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
       INSERT INTO orders SELECT i, 1 + (i * 7919) % ?, ((i * 104729) % 10000000) / 100.0, i * 9007199254741, 
         CASE WHEN i % 11 <> 0 THEN (i % 1000) / 3.0 END, i % 2 = 0,
         strftime('%Y-%m-%dT%H:%M:%fZ', 1622548800 + i * 1.5, 'unixepoch'),
         CASE WHEN i % 4 = 0 THEN NULL WHEN i % 4 = 1 THEN 'line one' || char(10) || 'line "two" it''s \\ done' ELSE 'note ' || i || ' ✓ naïve' END,
         CASE WHEN i % 3 = 0 THEN NULL ELSE CAST(printf('%016x', i * 2654435761) AS BLOB) END
       FROM s`,
    ).run(shape.orders, shape.customers);
    db.exec("COMMIT");
    db.pragma("wal_checkpoint(TRUNCATE)");
    // NOTE: rollback-journal mode, so that gen-dump --jobs may read it with several connections.
    db.pragma("journal_mode = DELETE");
  } finally {
    db.close();
  }
}
