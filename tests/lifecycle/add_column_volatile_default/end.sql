SELECT count(*) = 3002 FROM items;
SELECT count(*) = 0 FROM items WHERE token IS NULL;
SELECT count(DISTINCT token) = count(*) FROM items;
-- the default is in place, and calls the function for every row
INSERT INTO items (label) VALUES ('after contract') RETURNING token IS NOT NULL;
