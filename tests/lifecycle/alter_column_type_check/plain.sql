ALTER TABLE items ALTER COLUMN price TYPE numeric(10,2) USING greatest(price, 0)::numeric / 100;
ALTER TABLE items ADD CHECK (price >= 0);
