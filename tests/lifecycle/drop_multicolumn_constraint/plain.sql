ALTER TABLE items DROP CONSTRAINT items_shop_sku_key;
