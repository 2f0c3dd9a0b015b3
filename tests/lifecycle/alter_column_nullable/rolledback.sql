-- NOT NULL again
SELECT attnotnull FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'note';
