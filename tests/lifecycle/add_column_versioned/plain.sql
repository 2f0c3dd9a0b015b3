ALTER TABLE items ADD COLUMN label_len integer NOT NULL DEFAULT 0;
UPDATE items SET label_len = length(label);
