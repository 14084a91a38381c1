-- The gen-dump sample: a small shop. Several related tables, a foreign-key cycle
-- (departments <-> employees), a self-reference (customers.referred_by), and awkward values.
PRAGMA user_version = 7;
PRAGMA application_id = 1936681072;

CREATE TABLE departments (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  manager_id INTEGER REFERENCES employees(id) ON DELETE SET NULL
);

CREATE TABLE employees (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  department_id INTEGER NOT NULL REFERENCES departments(id),
  full_name TEXT NOT NULL COLLATE NOCASE,
  salary NUMERIC(10, 2) CHECK (salary >= 0),
  photo BLOB
);

CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  display_name TEXT,
  referred_by INTEGER REFERENCES customers(id),
  score REAL DEFAULT 0.0,
  extra
);

CREATE TABLE products (
  sku TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  price_cents INTEGER NOT NULL,
  weight_kg REAL,
  tags TEXT DEFAULT '[]'
) WITHOUT ROWID;

CREATE TABLE orders (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  placed_at TEXT NOT NULL DEFAULT (datetime('now')),
  total_cents INTEGER GENERATED ALWAYS AS (0) VIRTUAL,
  note TEXT
);

CREATE TABLE order_items (
  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  sku TEXT NOT NULL REFERENCES products(sku),
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (order_id, sku)
);

CREATE TABLE "order ""notes"" & <stuff>" (
  body TEXT,
  created INTEGER
);

CREATE INDEX orders_by_customer ON orders(customer_id, placed_at DESC);
CREATE INDEX customers_lower_email ON customers(lower(email));
CREATE INDEX products_heavy ON products(weight_kg) WHERE weight_kg > 10;
CREATE VIEW big_spenders AS
  SELECT c.id, c.email, count(o.id) AS orders FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id;
CREATE TRIGGER orders_note_default AFTER INSERT ON orders WHEN NEW.note IS NULL
BEGIN
  UPDATE orders SET note = 'auto' WHERE id = NEW.id;
END;
