SELECT count(*) = 3003 FROM items;
-- expanding again recomputed the values from up, the new application's included
SELECT count(*) = 0 FROM items WHERE label_len IS DISTINCT FROM length(label);
-- the default is in place for the new application
INSERT INTO items (label) VALUES ('after contract') RETURNING label_len = 0;
