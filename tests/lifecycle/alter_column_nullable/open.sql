SELECT NOT attnotnull FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'note';
-- the NOT NULL a rollback puts back, saved in pgstep's own state
SELECT (value::jsonb ->> 'notnull')::boolean FROM pgstep.saved WHERE migration = 'alter_column_nullable' AND key = '0:items.note:was';
SELECT note = 'old note' FROM items WHERE label = 'old insert';
SELECT note = '' FROM items WHERE label = 'old insert, default';
SELECT count(*) = 10 FROM items WHERE note = 'old update';
SELECT note = 'new note' FROM items WHERE label = 'new insert';
SELECT count(*) = 5 FROM items WHERE id BETWEEN 201 AND 205 AND note = 'new update';
