CREATE TABLE items (
    id bigserial PRIMARY KEY,
    sku text NOT NULL UNIQUE,
    price integer NOT NULL CHECK (price > 0)
);
COMMENT ON CONSTRAINT items_price_check ON items IS 'no free items';
INSERT INTO items (sku, price) SELECT 'SKU-' || g, g FROM generate_series(1, 3000) g;
