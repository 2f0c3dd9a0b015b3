ALTER TABLE items RENAME CONSTRAINT items_price_check TO items_price_positive;
ALTER TABLE items RENAME CONSTRAINT items_sku_key TO items_sku_unique;
