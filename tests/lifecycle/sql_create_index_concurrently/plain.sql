CREATE INDEX items_label_idx ON items (label);
