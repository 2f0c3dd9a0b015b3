-- the column, nullable, and no unique index yet (it comes in switch)
SELECT NOT attnotnull FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'code';
SELECT NOT EXISTS (SELECT FROM pg_index WHERE indrelid = 'items'::regclass AND indisunique AND NOT indisprimary);
-- every row has a code: from up, or the new application's
SELECT count(*) = 0 FROM items WHERE code IS DISTINCT FROM 'code-' || id AND id NOT BETWEEN 201 AND 205 AND label <> 'new insert';
SELECT code = 'code-' || id FROM items WHERE label = 'old insert';
SELECT code = 'NEW-1' FROM items WHERE label = 'new insert';
SELECT count(*) = 5 FROM items WHERE id BETWEEN 201 AND 205 AND code = 'NEW-' || id;
