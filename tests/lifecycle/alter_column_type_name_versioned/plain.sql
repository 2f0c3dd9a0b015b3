ALTER TABLE items ALTER COLUMN price DROP DEFAULT;
ALTER TABLE items ALTER COLUMN price TYPE numeric(10,2) USING price::numeric / 100;
ALTER TABLE items ALTER COLUMN price SET DEFAULT 0;
ALTER TABLE items RENAME COLUMN price TO price_units;
COMMENT ON COLUMN items.price_units IS 'in units';
