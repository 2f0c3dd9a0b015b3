ALTER TABLE items ALTER COLUMN price TYPE numeric(10,2) USING coalesce(price, 0)::numeric / 100;
ALTER TABLE items ALTER COLUMN price SET NOT NULL;
ALTER TABLE items ALTER COLUMN price SET DEFAULT 0;
COMMENT ON COLUMN items.price IS 'price in units';
