INSERT INTO items (shop, sku, label) VALUES (2, 'SKU-OLD', 'new insert, other shop');
UPDATE items SET label = 'new update ' || id WHERE id BETWEEN 201 AND 205;
