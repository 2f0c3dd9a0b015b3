-- partitioned by shop, one partition hashed again by sku
CREATE TABLE items (
    id bigint NOT NULL,
    shop integer NOT NULL,
    sku text,
    label text NOT NULL
) PARTITION BY LIST (shop);
CREATE TABLE items_shop0 PARTITION OF items FOR VALUES IN (0);
CREATE TABLE items_shop1 PARTITION OF items FOR VALUES IN (1) PARTITION BY HASH (sku);
CREATE TABLE items_shop1_h0 PARTITION OF items_shop1 FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE items_shop1_h1 PARTITION OF items_shop1 FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE TABLE items_other PARTITION OF items DEFAULT;
-- one SKU per shop; the same SKU in several shops; some without a SKU
INSERT INTO items (id, shop, sku, label)
SELECT g, g % 3, CASE WHEN g % 10 = 0 THEN NULL ELSE 'SKU-' || (g / 3) END, 'item ' || g
FROM generate_series(1, 3000) g;
