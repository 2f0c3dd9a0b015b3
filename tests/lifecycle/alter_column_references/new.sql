INSERT INTO items (label, owner_id) VALUES ('new insert', 9);
