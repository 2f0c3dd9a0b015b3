INSERT INTO items (label, sku) VALUES ('old insert', 'SKU-OLD');
