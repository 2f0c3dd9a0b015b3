ALTER TABLE items ALTER COLUMN price TYPE numeric(10,2) USING price::numeric / 100;
