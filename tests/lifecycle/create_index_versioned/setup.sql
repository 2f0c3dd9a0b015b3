CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text,
    price integer NOT NULL,
    sku text,
    tags jsonb NOT NULL DEFAULT '{}'
);
INSERT INTO items (label, price, sku, tags)
SELECT CASE WHEN g % 17 = 0 THEN NULL ELSE 'item ' || g END, g % 500, 'SKU-' || g, jsonb_build_object('n', g % 5)
FROM generate_series(1, 3000) g;
