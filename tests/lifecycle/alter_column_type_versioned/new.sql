-- The new application writes units, through public_alter_column_type_versioned.items,
-- where price is numeric(10,2).
INSERT INTO items (label, price) VALUES ('new insert', 3.21);
UPDATE items SET price = 12.34 WHERE label = 'item 300';
UPDATE items SET price = 0.50 WHERE id BETWEEN 201 AND 205;
UPDATE items SET label = 'new update ' || id WHERE id BETWEEN 206 AND 208;
