-- The old application: it knows nothing of label_len.
INSERT INTO items (label, price) VALUES ('old insert', 1), ('old insert, longer', 2);
UPDATE items SET label = 'old update ' || id WHERE id BETWEEN 101 AND 110;
