CREATE TABLE items (
    id bigserial PRIMARY KEY,
    shop integer NOT NULL,
    sku text,
    label text NOT NULL
);
-- one SKU per shop; the same SKU in several shops; some without a SKU
INSERT INTO items (shop, sku, label)
SELECT g % 3, CASE WHEN g % 10 = 0 THEN NULL ELSE 'SKU-' || (g / 3) END, 'item ' || g
FROM generate_series(1, 3000) g;
