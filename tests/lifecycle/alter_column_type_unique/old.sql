-- The old application writes numbers.
INSERT INTO items (label, code) VALUES ('old insert', 900001);
UPDATE items SET code = 900000 + id WHERE id BETWEEN 101 AND 105;
