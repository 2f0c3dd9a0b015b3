INSERT INTO items (label, owner_id) VALUES ('old insert', 7);
UPDATE items SET owner_id = 8 WHERE id BETWEEN 101 AND 110;
