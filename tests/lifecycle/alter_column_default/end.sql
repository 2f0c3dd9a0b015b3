SELECT count(*) = 3003 FROM items;
INSERT INTO items (label) VALUES ('after contract') RETURNING status = 'open' AND currency IS NULL;
