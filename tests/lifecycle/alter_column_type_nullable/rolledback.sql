-- NOT NULL again, under the name it had (PostgreSQL 18 names it)
SELECT attnotnull FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'price';
SELECT price = 1234 FROM items WHERE label = 'item 300';
