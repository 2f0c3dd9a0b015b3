INSERT INTO items (sku, label) VALUES ('SKU-OLD', 'old insert');
UPDATE items SET label = 'old update ' || id WHERE id BETWEEN 101 AND 110;
DELETE FROM items WHERE id BETWEEN 111 AND 115;
