SELECT count(*) = 3003 FROM items;
SELECT price_units = 12.34 FROM items WHERE label = 'item 300';
SELECT price_units = 19.99 FROM items WHERE label = 'old insert';
SELECT price_units = 3.21 FROM items WHERE label = 'new insert';
SELECT count(*) = 5 FROM items WHERE id BETWEEN 201 AND 205 AND price_units = 0.50;
-- the new application goes on through its schema
SET search_path = public_alter_column_type_name_versioned; SELECT price_units = 12.34 FROM items WHERE label = 'item 300';
INSERT INTO items (label) VALUES ('after contract') RETURNING price_units = 0;
RESET search_path; SELECT price_units = 0 FROM public.items WHERE label = 'after contract';
