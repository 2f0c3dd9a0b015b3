INSERT INTO order_lines (tenant, product_id, coupon_tenant, coupon_code, qty) VALUES (1, 7, 1, 'C1', 11);
-- product 50 of tenant 1 goes: its 5 lines keep their tenant, lose the product
DELETE FROM products WHERE tenant = 1 AND id = 50;
