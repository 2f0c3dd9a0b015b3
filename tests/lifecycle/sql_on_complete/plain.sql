ALTER TABLE items DROP COLUMN legacy;
CREATE INDEX items_label_idx ON items (label);
