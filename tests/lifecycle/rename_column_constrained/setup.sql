CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL,
    sku text NOT NULL UNIQUE CHECK (sku <> ''),
    price integer NOT NULL DEFAULT 0
);
CREATE INDEX items_sku_price_idx ON items (sku, price);
INSERT INTO items (label, sku, price) SELECT 'item ' || g, 'SKU-' || g, g FROM generate_series(1, 3000) g;
