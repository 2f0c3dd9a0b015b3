SELECT count(*) = 0 FROM orders;
-- the new application goes on through its schema: identity, default, generated column, keys
SET search_path = public_create_table_versioned; INSERT INTO orders (item_id, unit_price) VALUES (7, 30) RETURNING id IS NOT NULL AND qty = 1 AND total = 30;
INSERT INTO order_notes (order_id) SELECT id FROM orders RETURNING n = 1 AND body = '';
WITH d AS (DELETE FROM orders RETURNING id) SELECT count(*) = 1 FROM d;
RESET search_path; SELECT count(*) = 0 FROM public.order_notes;
