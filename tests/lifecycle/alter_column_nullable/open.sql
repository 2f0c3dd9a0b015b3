SELECT NOT attnotnull FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'note';
SELECT EXISTS (SELECT FROM pg_proc WHERE proname = '_pgstep_items_note_was');
SELECT note = 'old note' FROM items WHERE label = 'old insert';
SELECT note = '' FROM items WHERE label = 'old insert, default';
SELECT count(*) = 10 FROM items WHERE note = 'old update';
SELECT note = 'new note' FROM items WHERE label = 'new insert';
SELECT count(*) = 5 FROM items WHERE id BETWEEN 201 AND 205 AND note = 'new update';
