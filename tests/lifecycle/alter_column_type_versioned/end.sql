SELECT count(*) = 3002 FROM items;
SELECT price = 12.34 FROM items WHERE label = 'item 300';
SELECT price = 19.99 FROM items WHERE label = 'old insert';
SELECT price = 3.21 FROM items WHERE label = 'new insert';
SELECT count(*) = 5 FROM items WHERE id BETWEEN 201 AND 205 AND price = 0.50;
-- the new application goes on through its schema: reads, and writes with the default
SET search_path = public_alter_column_type_versioned; SELECT price = 12.34 FROM items WHERE label = 'item 300';
INSERT INTO items (label) VALUES ('after contract') RETURNING price = 0;
UPDATE items SET price = 1.5 WHERE label = 'after contract' RETURNING price = 1.5;
RESET search_path; SELECT price = 1.5 FROM public.items WHERE label = 'after contract';
