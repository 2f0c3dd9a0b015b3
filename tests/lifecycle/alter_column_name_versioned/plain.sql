ALTER TABLE items RENAME COLUMN label TO title;
COMMENT ON COLUMN items.title IS 'what the item is called';
