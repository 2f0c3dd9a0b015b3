-- The new application, through the view, in units.
INSERT INTO items (label, price) VALUES ('new insert', 3.21);
UPDATE items SET price = 12.34 WHERE label = 'item 300';
