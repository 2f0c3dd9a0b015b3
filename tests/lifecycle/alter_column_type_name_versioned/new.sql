-- The new application writes price_units, through the view.
INSERT INTO items (label, price_units) VALUES ('new insert', 3.21);
UPDATE items SET price_units = 12.34 WHERE label = 'item 300';
UPDATE items SET price_units = 0.50 WHERE id BETWEEN 201 AND 205;
