ALTER TABLE items ADD CONSTRAINT items_sku_unique UNIQUE (sku);
