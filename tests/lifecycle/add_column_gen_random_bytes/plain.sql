ALTER TABLE items ADD COLUMN salt bytea DEFAULT gen_random_bytes(16);
