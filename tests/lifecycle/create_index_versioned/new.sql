INSERT INTO items (label, price, sku, tags) VALUES ('new insert', 2, 'SKU-NEW', '{"n": 9}');
