-- The old application writes owner.
INSERT INTO items (label, owner) VALUES ('old insert', 7), ('old insert, no owner', NULL);
UPDATE items SET owner = 42 WHERE id BETWEEN 101 AND 105;
