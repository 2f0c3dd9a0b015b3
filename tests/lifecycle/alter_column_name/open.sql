-- both columns, of one type, and the trigger that keeps them equal
SELECT count(*) = 2 FROM pg_attribute
 WHERE attrelid = 'items'::regclass AND attname IN ('label', 'title') AND atttypid = 'text'::regtype;
SELECT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'items'::regclass AND tgname LIKE '\_pgstep\_%' AND NOT tgisinternal);
SELECT col_description('items'::regclass, (SELECT attnum FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'title'))
       = 'what the item is called';
-- every row has the same value under both names
SELECT count(*) = 0 FROM items WHERE title IS DISTINCT FROM label;
SELECT count(*) = 3003 FROM items;
-- both applications' writes
SELECT title = 'old insert' FROM items WHERE price = 1 AND id > 3000;
SELECT title = 'untitled' FROM items WHERE price = 2 AND id > 3000;
SELECT count(*) = 10 FROM items WHERE title LIKE 'old update %';
SELECT label = 'new insert' FROM items WHERE price = 3 AND id > 3000;
SELECT count(*) = 5 FROM items WHERE label LIKE 'new update %' AND id BETWEEN 201 AND 205;
