SELECT count(*) = 3002 FROM order_lines;
SELECT bool_and(convalidated) AND count(*) = 2 FROM pg_constraint WHERE conrelid = 'order_lines'::regclass AND contype = 'f';
SELECT pg_temp.refused($$INSERT INTO order_lines (tenant, product_id, coupon_tenant) VALUES (1, 1, 1)$$, '23503');
-- product 100 of tenant 2 goes: its 5 lines keep tenant 2
WITH d AS (DELETE FROM products WHERE tenant = 2 AND id = 100 RETURNING 1) SELECT count(*) = 1 FROM d;
SELECT count(*) = 5 FROM order_lines WHERE id <= 3000 AND id % 17 <> 0 AND product_id IS NULL AND tenant = 2;
