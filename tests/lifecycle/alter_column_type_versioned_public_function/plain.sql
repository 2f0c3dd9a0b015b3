ALTER TABLE items ALTER COLUMN price DROP DEFAULT;
ALTER TABLE items ALTER COLUMN price TYPE numeric(10,2) USING to_units(price);
