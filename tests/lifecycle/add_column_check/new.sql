-- The new application sets owner_id (and still owner_name, which stays).
INSERT INTO items (label, owner_name, owner_id) VALUES ('new insert', 'owner 5', 5);
UPDATE items SET owner_id = 3 WHERE id BETWEEN 201 AND 205;
