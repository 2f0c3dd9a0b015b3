CREATE TABLE items (
    id bigserial PRIMARY KEY,
    shop integer NOT NULL,
    sku text NOT NULL,
    label text NOT NULL,
    CONSTRAINT items_shop_sku_key UNIQUE (shop, sku)
);
INSERT INTO items (shop, sku, label) SELECT g % 3, 'SKU-' || (g / 3), 'item ' || g FROM generate_series(1, 3000) g;
