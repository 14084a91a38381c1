-- The sample application at version 1: customers with their address inline, and orders.
CREATE TABLE customer (
  id INTEGER PRIMARY KEY,
  nm TEXT NOT NULL,
  street TEXT,
  city TEXT
);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customer (id),
  amount_cents INTEGER NOT NULL
);
CREATE INDEX orders_customer ON orders (customer_id);
