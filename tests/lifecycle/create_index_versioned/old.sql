INSERT INTO items (label, price, sku) VALUES ('old insert', 1, 'SKU-OLD');
UPDATE items SET label = 'old update ' || id WHERE id BETWEEN 101 AND 110;
