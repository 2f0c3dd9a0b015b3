ALTER TABLE items ADD COLUMN token text DEFAULT new_token();
