CREATE TABLE items (
    id bigserial PRIMARY KEY,
    sku text NOT NULL,
    label text NOT NULL
);
-- the identity is an index whose name needs quoting
CREATE UNIQUE INDEX "Items SKU" ON items (sku);
ALTER TABLE items REPLICA IDENTITY USING INDEX "Items SKU";
INSERT INTO items (sku, label) SELECT 'SKU-' || g, 'item ' || g FROM generate_series(1, 3000) g;
