-- the new defaults are in place while open
SELECT pg_get_expr(adbin, adrelid) = '''open''::text' FROM pg_attrdef
 WHERE adrelid = 'items'::regclass AND adnum = (SELECT attnum FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'status');
SELECT NOT atthasdef FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'currency';
SELECT status = 'open' AND currency IS NULL FROM items WHERE label = 'new insert';
SELECT status = 'new' AND currency = 'EUR' FROM items WHERE label = 'old insert';
SELECT count(*) = 10 FROM items WHERE status = 'closed';
