SELECT NOT pg_temp.refused($$INSERT INTO order_lines (tenant, product_id, coupon_tenant) VALUES (1, 201, 1)$$);
