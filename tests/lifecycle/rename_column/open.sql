SELECT format_type(atttypid, atttypmod) = 'integer'
  FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'item_no';
SELECT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'items'::regclass AND tgname = '_pgstep_items_number_rename');
-- equal under both names on every row
SELECT count(*) = 0 FROM items WHERE item_no IS DISTINCT FROM number;
SELECT count(*) = 3004 AND count(DISTINCT number) = 3004 FROM items;
SELECT item_no = 100001 FROM items WHERE label = 'old insert, given';
SELECT item_no IS NOT NULL FROM items WHERE label = 'old insert, sequence';
SELECT count(*) = 10 FROM items WHERE id BETWEEN 101 AND 110 AND item_no = id + 500000;
SELECT number = 200001 FROM items WHERE label = 'new insert, given';
SELECT number IS NOT NULL FROM items WHERE label = 'new insert, sequence';
SELECT count(*) = 5 FROM items WHERE id BETWEEN 201 AND 205 AND number = id + 700000;
