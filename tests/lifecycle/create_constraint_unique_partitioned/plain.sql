ALTER TABLE items ADD CONSTRAINT items_shop_sku_key UNIQUE (shop, sku) INCLUDE (label) WITH (fillfactor = 70);
