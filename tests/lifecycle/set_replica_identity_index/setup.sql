CREATE TABLE items (
    id bigserial PRIMARY KEY,
    sku text NOT NULL UNIQUE,
    label text NOT NULL
);
ALTER TABLE items REPLICA IDENTITY FULL;
INSERT INTO items (sku, label) SELECT 'SKU-' || g, 'item ' || g FROM generate_series(1, 3000) g;
