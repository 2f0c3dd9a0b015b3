ALTER TABLE items ADD COLUMN label_len integer;
UPDATE items SET label_len = length(label);
ALTER TABLE items ADD CONSTRAINT items_label_len_not_null CHECK (label_len IS NOT NULL);
