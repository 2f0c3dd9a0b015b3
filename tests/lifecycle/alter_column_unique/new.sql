INSERT INTO items (label, sku) VALUES ('new insert', 'SKU-NEW');
