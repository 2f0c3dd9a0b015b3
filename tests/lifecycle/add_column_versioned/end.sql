SELECT count(*) = 3004 FROM items;
-- expanding again recomputed the values from up, the new application's included
SELECT count(*) = 0 FROM items WHERE label_len IS DISTINCT FROM length(label);
-- the new application goes on through its schema, with the default
SET search_path = public_add_column_versioned; INSERT INTO items (label) VALUES ('after contract') RETURNING label_len = 0;
UPDATE items SET label = 'longer after contract' WHERE label = 'after contract' RETURNING label_len = 0;
