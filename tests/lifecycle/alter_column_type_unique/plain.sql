ALTER TABLE items ALTER COLUMN code TYPE text USING 'C' || lpad(code::text, 6, '0');
ALTER TABLE items ADD UNIQUE (code);
