SELECT count(*) = 3002 FROM items;
SELECT to_regclass('items_shop_sku_key') IS NULL;
INSERT INTO items (shop, sku, label) VALUES (1, 'SKU-OLD', 'duplicate') RETURNING true;
SELECT count(*) = 2 FROM items WHERE shop = 1 AND sku = 'SKU-OLD';
