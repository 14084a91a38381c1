-- Some data at version 1.
INSERT INTO customer (id, nm, street, city) VALUES
  (1, 'Ada Lovelace', '12 St James''s Square', 'London'),
  (2, 'Alan Turing', NULL, NULL),
  (3, 'Grace Hopper', '1 Navy Way', 'Arlington');
INSERT INTO orders (id, customer_id, amount_cents) VALUES
  (10, 1, 1250),
  (11, 1, 99),
  (12, 3, 40000);
