CREATE UNIQUE INDEX items_label_price_idx ON items USING btree
    (label COLLATE "C" text_pattern_ops DESC NULLS LAST, price ASC NULLS FIRST)
    WITH (fillfactor = 70) WHERE price > 0;
CREATE INDEX items_sku_hash_idx ON items USING hash (sku) WITH (fillfactor = 80);
CREATE INDEX items_tags_idx ON items USING gin (tags jsonb_path_ops);
