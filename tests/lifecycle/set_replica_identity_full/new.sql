INSERT INTO items (sku, label) VALUES ('SKU-NEW', 'new insert');
UPDATE items SET label = 'new update ' || id WHERE id BETWEEN 201 AND 205;
