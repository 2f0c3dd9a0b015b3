ALTER TABLE order_lines ADD CONSTRAINT order_lines_product_fkey
    FOREIGN KEY (tenant, product_id) REFERENCES products (tenant, id) ON DELETE SET NULL (product_id);
ALTER TABLE order_lines ADD CONSTRAINT order_lines_coupon_fkey
    FOREIGN KEY (coupon_tenant, coupon_code) REFERENCES coupons (tenant, code) MATCH FULL ON UPDATE CASCADE;
