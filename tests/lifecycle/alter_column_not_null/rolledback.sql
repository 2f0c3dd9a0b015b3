-- nullable again, and the values up wrote stay (pgstep-plan(5))
SELECT NOT attnotnull FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'email';
SELECT count(*) = 0 FROM items WHERE email IS NULL;
