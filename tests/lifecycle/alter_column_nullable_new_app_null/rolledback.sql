-- NOT NULL again; the new application's NULLs became down's value
SELECT attnotnull FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'note';
SELECT note = '' FROM items WHERE label = 'new insert';
SELECT count(*) = 5 FROM items WHERE id BETWEEN 201 AND 205 AND note = '';
