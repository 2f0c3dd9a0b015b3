CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL,
    price integer CONSTRAINT items_price_required NOT NULL DEFAULT 0 CHECK (price >= 0)
);
CREATE INDEX items_price_idx ON items (price);
INSERT INTO items (label, price) SELECT 'item ' || g, g FROM generate_series(1, 3000) g;
