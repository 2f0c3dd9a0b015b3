SELECT attnotnull FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'legacy_code' AND NOT attisdropped;
SELECT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'items'::regclass AND tgname = '_pgstep_items_legacy_code_fill');
SELECT legacy_code = 'OLD-1' FROM items WHERE label = 'old insert';
SELECT count(*) = 10 FROM items WHERE legacy_code = 'OLD-U' || id;
-- the new application's row got down's value
SELECT legacy_code = 'LC-' || id FROM items WHERE label = 'new insert';
SELECT count(*) = 5 FROM items WHERE label LIKE 'new update %' AND legacy_code = 'LC-' || id;
