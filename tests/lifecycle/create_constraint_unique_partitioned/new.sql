INSERT INTO items (id, shop, sku, label) VALUES (6001, 1, 'SKU-NEW', 'new insert');
UPDATE items SET label = 'new update ' || id WHERE id BETWEEN 201 AND 205;
