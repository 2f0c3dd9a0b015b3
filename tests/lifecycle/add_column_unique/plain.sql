ALTER TABLE items ADD COLUMN code text UNIQUE;
UPDATE items SET code = 'code-' || id;
