-- ALTER COLUMN TYPE keeps the default (0), as pgstep carries it
ALTER TABLE items ALTER COLUMN price TYPE numeric(10,2) USING to_units(price);
