INSERT INTO items (label, sku) VALUES ('old insert', 'SKU-OLD'), ('old insert, no sku', NULL);
UPDATE items SET sku = 'SKU-U' || id WHERE id BETWEEN 101 AND 110;
