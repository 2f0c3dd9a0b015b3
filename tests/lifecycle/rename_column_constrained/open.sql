SELECT count(*) = 0 FROM items WHERE code IS DISTINCT FROM sku;
