INSERT INTO items (label) VALUES ('old insert');
INSERT INTO legacy_prices SELECT id, 1 FROM items WHERE label = 'old insert';
UPDATE legacy_prices SET price = 0 WHERE item_id BETWEEN 101 AND 110;
