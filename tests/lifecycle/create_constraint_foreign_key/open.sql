-- both keys there from expand, NOT VALID, as the plan says
SELECT NOT convalidated AND pg_get_constraintdef(oid) =
       'FOREIGN KEY (tenant, product_id) REFERENCES products(tenant, id) ON DELETE SET NULL (product_id) NOT VALID'
  FROM pg_constraint WHERE conrelid = 'order_lines'::regclass AND conname = 'order_lines_product_fkey';
SELECT NOT convalidated AND pg_get_constraintdef(oid) =
       'FOREIGN KEY (coupon_tenant, coupon_code) REFERENCES coupons(tenant, code) MATCH FULL ON UPDATE CASCADE NOT VALID'
  FROM pg_constraint WHERE conrelid = 'order_lines'::regclass AND conname = 'order_lines_coupon_fkey';
-- they hold for every write: an unknown product, a coupon of another tenant, half a coupon
SELECT pg_temp.refused($$INSERT INTO order_lines (tenant, product_id) VALUES (1, 201)$$, '23503');
SELECT pg_temp.refused($$UPDATE order_lines SET coupon_code = 'C99' WHERE coupon_code = 'C1' AND coupon_tenant = 1$$, '23503');
SELECT pg_temp.refused($$INSERT INTO order_lines (tenant, product_id, coupon_tenant) VALUES (1, 1, 1)$$, '23503');
SELECT pg_temp.refused($$INSERT INTO order_lines (tenant, product_id, coupon_code) VALUES (1, 1, 'C1')$$, '23503');
SELECT NOT pg_temp.refused($$INSERT INTO order_lines (tenant, product_id) VALUES (3, NULL)$$);
-- the actions: SET NULL of product_id alone, the coupon's new code cascaded
SELECT count(*) = 0 FROM order_lines WHERE tenant = 1 AND product_id = 50;
SELECT count(*) = 181 FROM order_lines WHERE product_id IS NULL AND id <= 3000;
SELECT count(*) = 5 FROM order_lines WHERE id <= 3000 AND id % 17 <> 0 AND product_id IS NULL AND tenant = 1;
SELECT count(*) = 50 FROM order_lines WHERE coupon_tenant = 2 AND coupon_code = 'C6-renamed';
SELECT count(*) = 0 FROM order_lines WHERE coupon_tenant = 2 AND coupon_code = 'C6';
SELECT count(*) = 3002 FROM order_lines;
SELECT qty = 11 FROM order_lines WHERE coupon_code = 'C1' AND product_id = 7 AND tenant = 1 AND id > 3000;
SELECT qty = 12 FROM order_lines WHERE tenant = 2 AND id > 3000;
