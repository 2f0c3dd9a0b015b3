-- The old application writes number, or lets the sequence give it.
INSERT INTO items (label) VALUES ('old insert, sequence');
INSERT INTO items (label, number) VALUES ('old insert, given', 100001);
UPDATE items SET number = number + 500000 WHERE id BETWEEN 101 AND 110;
