-- the shadow column of the new type; no unique index on it before switch
SELECT format_type(atttypid, atttypmod) = 'text'
  FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = '_pgstep_items_code_new';
SELECT NOT EXISTS (SELECT FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                    WHERE i.indrelid = 'items'::regclass AND a.attname = '_pgstep_items_code_new');
-- the column's comment, on the shadow column too
SELECT count(*) = 2 FROM pg_attribute
 WHERE attrelid = 'items'::regclass AND attname IN ('code', '_pgstep_items_code_new')
   AND col_description(attrelid, attnum) = 'the item''s code';
-- every row converted, the old application's writes too
SELECT count(*) = 0 FROM items WHERE _pgstep_items_code_new IS DISTINCT FROM 'C' || lpad(code::text, 6, '0');
SELECT _pgstep_items_code_new = 'C900001' FROM items WHERE label = 'old insert';
SELECT count(*) = 5 FROM items WHERE id BETWEEN 101 AND 105 AND _pgstep_items_code_new = 'C' || (900000 + id);
-- the new application's write, back as a number
SELECT code = 800001 FROM items WHERE label = 'item 300';
