-- still nullable while open, with the trigger that fills NULLs
SELECT NOT attnotnull FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'email';
SELECT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'items'::regclass AND tgname = '_pgstep_items_email_alter');
-- no NULL left: the backfill and the trigger filled them from up
SELECT count(*) = 0 FROM items WHERE email IS NULL;
SELECT count(*) = 332 FROM items WHERE email = 'item' || id || '@unknown.example' AND id <= 3000 AND id NOT BETWEEN 101 AND 110;
SELECT email = 'item' || id || '@unknown.example' FROM items WHERE label = 'old insert';
SELECT email = 'old@example.com' FROM items WHERE label = 'old insert, email';
SELECT count(*) = 10 FROM items WHERE id BETWEEN 101 AND 110 AND email = 'item' || id || '@unknown.example';
SELECT email = 'new@example.com' FROM items WHERE label = 'new insert';
SELECT count(*) = 5 FROM items WHERE id BETWEEN 201 AND 205 AND email = 'new' || id || '@example.com';
