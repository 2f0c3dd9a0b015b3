SELECT count(*) = 0 FROM orders;
-- the identity, the default and the generated column work
INSERT INTO orders (item_id, unit_price) VALUES (7, 30) RETURNING id IS NOT NULL AND qty = 1 AND total = 30;
-- the foreign keys: notes go with their order; an item with orders stays
INSERT INTO order_notes (order_id) SELECT id FROM orders RETURNING n = 1 AND body = '';
WITH d AS (DELETE FROM orders RETURNING id) SELECT count(*) = 1 FROM d;
SELECT count(*) = 0 FROM order_notes;
