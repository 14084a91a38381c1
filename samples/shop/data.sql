-- Rows for the sample; the FK cycle is filled in two steps.
INSERT INTO departments (id, name, manager_id) VALUES (1, 'Sales', NULL), (2, 'R&D "Labs"', NULL);
INSERT INTO employees (id, department_id, full_name, salary, photo) VALUES
  (1, 1, 'Ada O''Brien', 5200.50, x'89504e470d0a1a0a'),
  (2, 2, 'Grace \ Hopper', 7100, NULL),
  (5, 2, 'Linus */ Torvalds', '12k', x'');
UPDATE departments SET manager_id = 1 WHERE id = 1;
UPDATE departments SET manager_id = 2 WHERE id = 2;
DELETE FROM sqlite_sequence WHERE name = 'employees';
INSERT INTO sqlite_sequence (name, seq) VALUES ('employees', 40);

INSERT INTO customers (id, email, display_name, referred_by, score, extra) VALUES
  (1, 'ann@example.com', 'Ann ${injection}`', NULL, 4.5, 1),
  (2, 'bob@example.com', 'Bob' || char(10) || 'Newline', 1, -0.0, 1.0),
  (3, 'zoë@example.com', 'Zoë 🎉 ' || char(8232) || ' sep', 2, 1e308, 'text'),
  (4, 'nul@example.com', 'has' || char(0) || 'nul', 3, 5e-324, x'00ff'),
  (5, 'big@example.com', NULL, 1, NULL, 9223372036854775807);

INSERT INTO products (sku, title, price_cents, weight_kg, tags) VALUES
  ('A-1', 'Anvil', 129900, 50.0, '["heavy","iron"]'),
  ('B-2', 'Bolt \n not a newline', 15, 0.01, '[]'),
  ('C-3', '</script><script>alert(1)</script>', 999, NULL, NULL);

INSERT INTO orders (id, customer_id, placed_at, note) VALUES
  (1, 1, '2024-02-29 12:00:00', 'first'),
  (2, 2, '2024-03-01 08:30:00', NULL),
  (7, 1, '2024-03-02 23:59:59', 'gap in ids');

INSERT INTO order_items (order_id, sku, quantity) VALUES (1, 'A-1', 1), (1, 'B-2', 100), (2, 'C-3', 2), (7, 'B-2', 3);

INSERT INTO "order ""notes"" & <stuff>" (rowid, body, created) VALUES
  (10, 'rowids are kept', 1700000000),
  (20, 'even with gaps', -1),
  (21, CAST(x'ff41' AS TEXT), 0);
