-- The new application, through the view, sets label_len itself, or leaves it to up.
INSERT INTO items (label, price, label_len) VALUES ('new insert', 3, 42);
INSERT INTO items (label, price) VALUES ('new insert, no label_len', 4);
UPDATE items SET label_len = 7 WHERE id BETWEEN 201 AND 205;
-- its own update of label leaves label_len as it was
UPDATE items SET label = 'new update ' || id WHERE id BETWEEN 206 AND 208;
