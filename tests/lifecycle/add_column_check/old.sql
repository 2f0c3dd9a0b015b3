-- The old application names owners, and knows nothing of owner_id.
INSERT INTO items (label, owner_name) VALUES ('old insert', 'owner 42'), ('old insert, no owner', NULL);
UPDATE items SET owner_name = 'owner 99' WHERE id BETWEEN 101 AND 110;
