-- The sample application at version 2: customer became client (nm → name, a slug
-- computed from the name), its address moved to a table of its own, and orders
-- reference clients. (What the application's own migration tool would create.)
CREATE TABLE client (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  slug TEXT NOT NULL
);
CREATE TABLE address (
  id INTEGER PRIMARY KEY,
  client_id INTEGER NOT NULL REFERENCES client (id),
  street TEXT,
  city TEXT
);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  client_id INTEGER NOT NULL REFERENCES client (id),
  amount_cents INTEGER NOT NULL
);
CREATE INDEX orders_client ON orders (client_id);
