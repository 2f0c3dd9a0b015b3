CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL,
    sku text
);
INSERT INTO items (label, sku)
SELECT 'item ' || g, CASE WHEN g % 13 = 0 THEN NULL ELSE 'SKU-' || g END FROM generate_series(1, 3000) g;
