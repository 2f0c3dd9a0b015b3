INSERT INTO order_lines (tenant, product_id, qty) VALUES (2, NULL, 12);
-- a coupon renamed: its 50 lines follow
UPDATE coupons SET code = 'C6-renamed' WHERE tenant = 2 AND code = 'C6';
