-- The new application takes orders.
INSERT INTO orders (item_id, qty, ref, unit_price) VALUES (5, 3, 'R-1', 100), (6, 1, NULL, 250);
INSERT INTO order_notes (order_id, body) SELECT id, 'note' FROM orders WHERE ref = 'R-1';
