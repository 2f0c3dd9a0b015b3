ALTER TABLE items ALTER COLUMN price TYPE bigint;
