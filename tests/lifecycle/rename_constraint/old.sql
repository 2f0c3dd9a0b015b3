INSERT INTO items (sku, price) VALUES ('SKU-OLD', 1);
UPDATE items SET price = price + 1 WHERE id BETWEEN 101 AND 110;
