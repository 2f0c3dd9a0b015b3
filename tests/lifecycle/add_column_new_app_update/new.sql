-- The new application sets label_len, then changes the price of the same
-- rows: an UPDATE that leaves label_len as it is.
INSERT INTO items (label, price, label_len) VALUES ('new insert', 3, 42);
UPDATE items SET label_len = 7 WHERE id BETWEEN 201 AND 205;
UPDATE items SET price = price + 1 WHERE label = 'new insert' OR id BETWEEN 201 AND 205;
