CREATE TABLE items (
    id bigserial PRIMARY KEY,
    label text NOT NULL,
    price integer CONSTRAINT items_price_required NOT NULL DEFAULT 0
);
INSERT INTO items (label, price) SELECT 'item ' || g, g * 7 FROM generate_series(1, 3000) g;
