ALTER TABLE items ADD COLUMN token text NOT NULL DEFAULT gen_token();
