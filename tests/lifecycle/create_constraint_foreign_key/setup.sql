CREATE TABLE products (
    tenant integer NOT NULL,
    id integer NOT NULL,
    name text NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE TABLE coupons (
    tenant integer NOT NULL,
    code text NOT NULL,
    PRIMARY KEY (tenant, code)
);
CREATE TABLE order_lines (
    id bigserial PRIMARY KEY,
    tenant integer NOT NULL,
    product_id integer,          -- NULL: a product since deleted
    coupon_tenant integer,       -- both coupon columns or neither
    coupon_code text,
    qty integer NOT NULL DEFAULT 1
);
INSERT INTO products SELECT t, p, 'product ' || p FROM generate_series(1, 3) t, generate_series(1, 200) p;
INSERT INTO coupons SELECT t, 'C' || c FROM generate_series(1, 3) t, generate_series(1, 20) c;
-- every line's product and coupon exist: 176 lines have no product, 600 a coupon
INSERT INTO order_lines (tenant, product_id, coupon_tenant, coupon_code)
SELECT g % 3 + 1, CASE WHEN g % 17 = 0 THEN NULL ELSE g % 200 + 1 END,
       CASE WHEN g % 5 = 0 THEN g % 3 + 1 END, CASE WHEN g % 5 = 0 THEN 'C' || (g % 20 + 1) END
FROM generate_series(1, 3000) g;
