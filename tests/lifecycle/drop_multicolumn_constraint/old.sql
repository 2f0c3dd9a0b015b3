INSERT INTO items (shop, sku, label) VALUES (1, 'SKU-OLD', 'old insert');
UPDATE items SET sku = 'SKU-U' || id WHERE id BETWEEN 101 AND 110;
