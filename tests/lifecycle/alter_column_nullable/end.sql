SELECT count(*) = 3003 FROM items;
INSERT INTO items (label, note) VALUES ('after contract', NULL) RETURNING note IS NULL;
